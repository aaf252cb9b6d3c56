// Preselect the browser's time zone in fields marked data-detect-time-zone,
// unless the person already chose one (the server default is UTC).
(function () {
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll("select[data-detect-time-zone]").forEach(function (select) {
    if (select.value !== "UTC") return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) {
        select.value = zone;
        return;
      }
    }
  });
})();
