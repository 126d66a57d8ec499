// Small progressive enhancements; every page works without this file.
// No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // Success and info messages fade after a while so they don't pile up; errors stay. Messages
  // also arrive with htmx answers (out of band into #messages): each fades six seconds after it
  // came, whichever way it came.
  function fadeMessagesLater() {
    document.querySelectorAll("#messages .message--success:not([data-fading]), #messages .message--info:not([data-fading])")
      .forEach(function (el) {
        el.setAttribute("data-fading", "");
        setTimeout(function () { el.classList.add("message--fade"); }, 6000);
      });
  }
  document.addEventListener("DOMContentLoaded", fadeMessagesLater);
  document.addEventListener("htmx:afterSwap", fadeMessagesLater);

  // A page opened at a part of itself (…#ledger-heading, after a change that reloaded the page)
  // gives that part the focus, when it is made to take it (tabindex): a keyboard goes on from there.
  document.addEventListener("DOMContentLoaded", function () {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.hasAttribute("tabindex") && !document.querySelector("[autofocus]")) {
      target.focus({preventScroll: true});
    }
  });

  // When htmx cannot reach the server at all, say so in the message region.
  document.addEventListener("htmx:sendError", function () {
    var region = document.getElementById("messages");
    if (region) {
      region.innerHTML = '<p class="message message--error" role="alert">Could not reach Growth desk. Check your connection and try again.</p>';
    }
  });
})();
