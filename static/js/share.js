// "Copy link" buttons: shown only where the script runs; without it the link
// stays on the page (in a read-only field, or as text) to copy by hand.
// data-copy names the element holding the link; data-copied is the button's
// word once copied; data-copy-status names a live region that says it too, or,
// when the browser refuses the clipboard, says the link is selected instead.
(function () {
  function select(field) {
    if (typeof field.select === "function") {
      field.select();
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(field);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    var status = document.getElementById(button.getAttribute("data-copy-status") || "");
    var text = function () {
      return field.value !== undefined ? field.value : field.textContent.trim();
    };
    var say = function (words) {
      if (status && words) status.textContent = words;
    };
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () {
        button.textContent = button.getAttribute("data-copied");
        say(button.getAttribute("data-copied"));
      };
      var byHand = function () {
        select(field);
        say(button.getAttribute("data-copy-selected"));
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text()).then(done, byHand);
      } else {
        select(field);
        if (document.execCommand("copy")) {
          done();
        } else {
          byHand();
        }
      }
    });
  });
})();
