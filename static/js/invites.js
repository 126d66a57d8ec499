// /invites: Copy buttons and the native Share… button. The page works without this file: every
// link is a readonly field to select and copy, so both buttons start hidden and show up here.
// No inline scripts or handlers anywhere: the Content-Security-Policy is script-src 'self'.
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("invite-announcer");
    if (!region) { return; }
    // Emptied first, so the same words said twice in a row are announced twice.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // The old way, for browsers without the async clipboard (or outside a secure context):
  // copy what is selected in the field.
  function copySelected(field) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function copied(button) {
    var label = button.textContent;
    button.textContent = "Copied";
    announce("Link copied");
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }

  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    var fallback = function () {
      if (copySelected(field)) {
        // Selecting the text moved the focus to the field: give it back to the button used.
        button.focus();
        copied(button);
      } else {
        announce("Press Control+C (or Command+C) to copy the selected link");
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { copied(button); }, fallback);
    } else {
      fallback();
    }
  }

  function share(button) {
    navigator.share({
      title: button.getAttribute("data-share-title"),
      text: button.getAttribute("data-share-text"),
      url: button.getAttribute("data-share-url")
    }).catch(function () { /* the person closed the share sheet: nothing to say */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
    var canShare = typeof navigator.share === "function";
    document.querySelectorAll("[data-share-url]").forEach(function (button) {
      if (!canShare) { return; }
      button.hidden = false;
      button.addEventListener("click", function () { share(button); });
    });
    // A click in a link field selects the whole link, ready to copy by hand.
    document.querySelectorAll(".invite-link__field").forEach(function (field) {
      field.addEventListener("focus", function () { field.select(); });
    });
  });
})();
