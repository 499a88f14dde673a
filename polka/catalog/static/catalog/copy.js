// Shows the "copy" button only where the clipboard can be used; without it the read-only
// text area above still lets the list be selected and copied by hand.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("copy-selection");
  if (!button || !navigator.clipboard) return;
  const source = document.getElementById(button.dataset.copyFrom);
  const status = document.getElementById("copy-status");
  button.hidden = false;
  button.addEventListener("click", async () => {
    await navigator.clipboard.writeText(source.value);
    status.textContent = button.dataset.copied;
  });
});
