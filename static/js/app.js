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

  // Buttons and links that ask first: data-confirm="Delete this search?"
  document.addEventListener("htmx:confirm", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (!question) return;
    event.preventDefault();
    if (window.confirm(question)) event.detail.issueRequest(true);
  });
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !event.target.hasAttribute("hx-post") && !window.confirm(question)) event.preventDefault();
  });
})();
