// The feed's small behaviours, for /feed and profile pages. Every page works without this file.
// No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  function feed() { return document.getElementById("feed"); }

  // ARIA feed pattern: the feed is aria-busy while "Older posts" loads, and each article says its
  // place once the new ones are in (the server numbers each page from 1; the set's size stays -1).
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id === "feed-more-link" && feed()) {
      feed().setAttribute("aria-busy", "true");
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful && feed()) {
      feed().removeAttribute("aria-busy");
    }
  });

  // A post deleted from the list (its card's Delete, after hx-confirm): the focus goes to the next
  // post, else the one before, else the page's heading; never back to <body>.
  var focusNext = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var article = event.detail.target;
    var asked = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (asked && asked.classList.contains("post__delete") && article.matches("article.post")) {
      focusNext = article.nextElementSibling || article.previousElementSibling ||
        document.getElementById("feed-heading") || document.querySelector("h1");
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var list = feed();
    if (list) {
      list.removeAttribute("aria-busy");
      list.querySelectorAll(":scope > article").forEach(function (article, index) {
        article.setAttribute("aria-posinset", String(index + 1));
      });
    }
    if (focusNext && focusNext.isConnected) {
      if (!focusNext.hasAttribute("tabindex")) {
        focusNext.setAttribute("tabindex", "-1");
      }
      focusNext.focus();
    }
    focusNext = null;
  });
})();
