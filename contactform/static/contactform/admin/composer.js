// The reply composer in the inbox: insert answer blocks and saved replies in place, without a
// round trip. Without this script the same buttons post the form and the page comes back with
// the text inserted (contactform/inbox_views.py).
(function () {
  "use strict";

  function init(composer) {
    var body = composer.querySelector("[data-reply-body]");
    var used = composer.querySelector("input[name='used_answers']");
    var status = composer.querySelector("[data-composer-status]");
    if (!body || !used) return;

    function insert(text) {
      var start = body.selectionStart;
      var end = body.selectionEnd;
      var atCursor = document.activeElement === body || start !== body.value.length;
      if (!atCursor || start === undefined) {
        start = end = body.value.length;
      }
      var before = body.value.slice(0, start).replace(/\s+$/, "");
      var after = body.value.slice(end).replace(/^\s+/, "");
      var joined = (before ? before + "\n\n" : "") + text;
      body.value = joined + (after ? "\n\n" + after : "");
      body.focus();
      body.setSelectionRange(joined.length, joined.length);
    }

    function announce(message) {
      if (status) status.textContent = message;
    }

    composer.querySelectorAll("[data-insert-answer]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        insert(button.dataset.text);
        var ids = used.value ? used.value.split(",") : [];
        if (ids.indexOf(button.dataset.insertAnswer) === -1) ids.push(button.dataset.insertAnswer);
        used.value = ids.join(",");
        announce(composer.dataset.insertedText || "");
      });
    });

    var select = composer.querySelector("[data-saved-reply]");
    var insertSaved = composer.querySelector("[data-insert-saved]");
    if (select && insertSaved) {
      insertSaved.addEventListener("click", function (event) {
        var template = composer.querySelector("template[data-saved-text='" + select.value + "']");
        if (!template) return; // nothing chosen: let the server say so
        event.preventDefault();
        insert(template.content.textContent);
        select.value = "";
        announce(composer.dataset.insertedText || "");
      });
    }
  }

  document.querySelectorAll("[data-ci-composer]").forEach(init);
})();
