// /credits: after "Show more" brings in the next entries, the first of them takes the focus, so a
// keyboard or screen-reader user goes on reading where the list grew instead of at the top of the
// page (the button they pressed is gone). The page works without this file: "Show more" is a link.
(function () {
  "use strict";

  document.addEventListener("htmx:afterSettle", function (event) {
    var from = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!from || !from.hasAttribute("data-more-rows")) { return; }
    var starts = document.querySelectorAll("[data-page-start]");
    if (starts.length) { starts[starts.length - 1].focus(); }
  });
})();
