// Small progressive enhancements; every page works without this file.
// No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // Flash messages fade after a while so they don't pile up.
  document.addEventListener("DOMContentLoaded", function () {
    setTimeout(function () {
      document.querySelectorAll(".messages .message--success, .messages .message--info").forEach(function (el) {
        el.classList.add("message--fade");
      });
    }, 6000);
  });

  // When htmx cannot reach the server at all, say so in the message region.
  document.addEventListener("htmx:sendError", function () {
    var region = document.getElementById("messages");
    if (region) {
      region.innerHTML = '<p class="message message--error" role="alert">Could not reach Growth desk. Check your connection and try again.</p>';
    }
  });
})();
