// Says so in plain words when a request made by htmx fails: 5xx answers are not swapped in
// (see the htmx-config meta tag), and a dropped connection gives no answer at all.
(function () {
  "use strict";

  // The words come from the page (templates/_partials/request_error.html), which has them
  // from the server's own error messages.
  function showRequestError(kind) {
    var box = document.getElementById("request-error");
    if (!box) return;
    box.textContent = box.getAttribute("data-" + kind) || "";
    box.hidden = false;
  }

  function hideRequestError() {
    var box = document.getElementById("request-error");
    if (box) box.hidden = true;
  }

  document.addEventListener("htmx:response:error", function (event) {
    var status = event.detail.ctx.response.status;
    // 503: the database is away for a moment (firestorm/web/errors.py), and says so.
    if (status === 503) {
      showRequestError("unavailable");
    } else if (status >= 500) {
      showRequestError("server-error");
    }
  });

  document.addEventListener("htmx:error", function () {
    showRequestError("offline");
  });

  document.addEventListener("htmx:before:request", hideRequestError);
})();

// Copy buttons (accounts and invitations): <button data-copy-from="ID" hidden> copies the
// value of the field with that id. They start hidden, so without JavaScript nobody sees a
// button that does nothing; people select the field's text instead.
(function () {
  "use strict";

  function say(fieldId, message) {
    var status = document.querySelector('[data-copy-status-for="' + fieldId + '"]');
    if (status) status.textContent = message;
  }

  function copyByHand(field) {
    field.focus();
    field.select();
    return document.execCommand("copy");
  }

  function copy(button) {
    var fieldId = button.getAttribute("data-copy-from");
    var field = document.getElementById(fieldId);
    if (!field) return;
    var copied = navigator.clipboard
      ? navigator.clipboard.writeText(field.value).then(function () { return true; })
      : Promise.resolve(copyByHand(field));
    copied
      .catch(function () { return copyByHand(field); })
      .then(function (ok) {
        say(fieldId, ok ? "Copied." : "Select the link and copy it with your keyboard.");
      });
  }

  document.querySelectorAll("button[data-copy-from]").forEach(function (button) {
    button.hidden = false;
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy-from]");
    if (button) copy(button);
  });
})();

// Writing reviews: keeps "123 / 10000 characters" under a review's text up to date as the
// author types, so the length limit is known before the browser stops the typing. The page
// draws the first count itself, so without JavaScript the hint and that count still tell it.
(function () {
  "use strict";

  function counterOf(field) {
    return field.id ? document.querySelector('[data-counter-for="' + field.id + '"]') : null;
  }

  function updateCount(field) {
    var counter = counterOf(field);
    if (!counter || field.maxLength <= 0) return;
    // value.length counts as maxlength does, so the count reaches the limit when typing stops.
    var length = field.value.length;
    counter.textContent = length + " / " + field.maxLength + " characters";
    counter.classList.toggle("char-count-full", length >= field.maxLength);
  }

  document.addEventListener("input", function (event) {
    if (event.target instanceof HTMLTextAreaElement) updateCount(event.target);
  });

  // A page restored from the back-forward cache keeps the typed text but not our count.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("textarea[id]").forEach(updateCount);
  });
})();

// Live search (forms marked data-history="per-search"): one history entry per search, not one per
// letter. htmx pushes an entry for each answer; an answer that comes while the person is still
// typing (soon after the form's last one) replaces the entry this search pushed instead.
(function () {
  "use strict";

  var STILL_TYPING_MS = 1500;
  var lastAnswerAt = new WeakMap();

  document.addEventListener("htmx:before:history:update", function (event) {
    var form = event.detail.sourceElement;
    if (!(form instanceof HTMLFormElement) || form.getAttribute("data-history") !== "per-search") {
      return;
    }
    var now = Date.now();
    var previous = lastAnswerAt.get(form);
    if (previous !== undefined && now - previous < STILL_TYPING_MS) {
      event.detail.history.type = "replace";
    }
    lastAnswerAt.set(form, now);
  });
})();

// Long requests (checking and importing a CSV file): a form marked data-busy says, while the
// browser waits for the answer, what it is doing (its [data-busy-note] element's words, in a
// status region) and can't be sent twice. Without JavaScript the page says it beforehand.
(function () {
  "use strict";

  function setBusy(form, busy) {
    form.querySelectorAll("[data-busy-note]").forEach(function (note) {
      note.textContent = busy ? note.getAttribute("data-busy-note") : "";
    });
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = busy;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-busy") || event.defaultPrevented) return;
    // After the form's data is read: a disabled button would not be sent with it.
    setTimeout(function () { setBusy(form, true); }, 0);
  });

  // Back to a page the browser kept: the form is ready to be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      setBusy(form, false);
    });
  });
})();

// The error summary at the top of a refused page (error_summary in templates/_forms.html): its
// links go to the fields. Without JavaScript the browser scrolls the input to the top of the
// window and puts focus in it; here the field's label (or its group's legend) stays in view too,
// as in the GOV.UK Design System, so the person sees what the field is.
(function () {
  "use strict";

  function headingOf(input) {
    var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
    var label = input.id ? document.querySelector('label[for="' + input.id + '"]') : null;
    // A radio button or box is seen with its group's legend; other inputs with their label.
    return (input.type === "radio" || input.type === "checkbox") && legend ? legend : label;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    event.preventDefault();
    (headingOf(input) || input).scrollIntoView();
    input.focus({ preventScroll: true });
  });
})();
