// The card page's own buttons, shown only where they can work:
// "Share…" where the browser has the Web Share API (phones, mostly), and "Print".
(function () {
  document.querySelectorAll("button[data-share-url]").forEach(function (button) {
    var data = {
      title: button.getAttribute("data-share-title") || document.title,
      text: button.getAttribute("data-share-text") || "",
      url: button.getAttribute("data-share-url"),
    };
    if (!navigator.share || (navigator.canShare && !navigator.canShare(data))) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      // Closing the share sheet rejects the promise: nothing to report then.
      navigator.share(data).catch(function () {});
    });
  });
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
