// The review queue: "Select every invite on this page" for the bulk form. Without this file each
// invite is ticked by hand; the form works the same.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var all = document.querySelector("[data-select-all]");
    if (!all) {
      return;
    }
    var box = all.querySelector("input");
    all.hidden = false;
    box.addEventListener("change", function () {
      document.querySelectorAll('input[type=checkbox][form="bulk-form"]').forEach(function (item) {
        item.checked = box.checked;
      });
    });
  });
})();
