// The answer editor: insert a catalogue record (its ГОСТ description with a link) or a
// template text at the cursor. Without JavaScript the descriptions can be copied by hand.
(function () {
  function insertAt(textarea, text) {
    const start = textarea.selectionStart ?? textarea.value.length;
    const end = textarea.selectionEnd ?? start;
    textarea.value = textarea.value.slice(0, start) + text + textarea.value.slice(end);
    textarea.selectionStart = textarea.selectionEnd = start + text.length;
    textarea.focus();
  }
  document.addEventListener("click", function (event) {
    const button = event.target.closest(".insert-record");
    if (!button) return;
    const target = document.getElementById(button.dataset.target);
    if (target) insertAt(target, button.dataset.html + "\n");
  });
  document.addEventListener("change", function (event) {
    const select = event.target.closest("#answer-template");
    if (!select) return;
    const option = select.selectedOptions[0];
    const target = document.getElementById(select.dataset.target);
    if (target && option && option.dataset.body) insertAt(target, option.dataset.body + "\n");
  });
})();
