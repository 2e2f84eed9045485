// Progressive enhancement only: without JavaScript the key quote is pasted into its box.
(function () {
  "use strict";

  // "Quote the selected words": the words selected in the contribution's text
  // go into the key quote box, ready to be checked and sent.
  var text = document.getElementById("contribution-text");
  var box = document.getElementById("id_excerpt");
  if (!text || !box || !text.dataset.quoteLabel) return;

  var selected = "";
  document.addEventListener("selectionchange", function () {
    var selection = document.getSelection();
    if (
      selection &&
      !selection.isCollapsed &&
      text.contains(selection.anchorNode) &&
      text.contains(selection.focusNode)
    ) {
      selected = selection.toString().trim();
    }
  });

  var button = document.createElement("button");
  button.type = "button";
  button.className = "button synthesis-quote-selection";
  button.textContent = text.dataset.quoteLabel;
  button.addEventListener("click", function () {
    if (!selected) return;
    box.value = selected;
    box.focus();
  });
  box.insertAdjacentElement("afterend", button);
})();
