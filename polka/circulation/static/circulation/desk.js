// After each scan answered in place (htmx), empty the scan field for the next barcode. A static
// file rather than hx-on: the Content-Security-Policy allows no inline or evaluated script.
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target.closest ? event.target.closest("form.desk-scan") : null;
  if (form) { form.reset(); }
});
