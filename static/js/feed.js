// The feed's small behaviours, for /feed and profile pages. Every page works without this file.
// No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  function feed() { return document.getElementById("feed"); }

  // ARIA feed pattern: the feed is aria-busy while "Older posts" loads.
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id === "feed-more-link" && feed()) {
      feed().setAttribute("aria-busy", "true");
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt.id === "feed-more-link" && !event.detail.successful && feed()) {
      feed().removeAttribute("aria-busy");
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (feed()) {
      feed().removeAttribute("aria-busy");
    }
  });

  // Each article says its place in the whole list once cards come or go (the server numbers each
  // page from 1; the set's size stays -1, unknown).
  function renumber(list) {
    list.querySelectorAll(":scope > article").forEach(function (article, index) {
      article.setAttribute("aria-posinset", String(index + 1));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var list = feed();
    if (list) {
      new MutationObserver(function () { renumber(list); }).observe(list, {childList: true});
    }
  });

  // A post deleted from the list (its card's Delete, after hx-confirm): before the card goes, the
  // focus moves to the next post, else the one before, else the page's heading; never to <body>.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var article = event.detail.target;
    var asked = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!event.detail.shouldSwap || !asked || !asked.classList.contains("post__delete") ||
        !article.matches("article.post")) {
      return;
    }
    var next = article.nextElementSibling || article.previousElementSibling ||
      document.getElementById("feed-heading") || document.querySelector("h1");
    if (next) {
      if (!next.hasAttribute("tabindex")) {
        next.setAttribute("tabindex", "-1");
      }
      next.focus();
    }
  });
})();
