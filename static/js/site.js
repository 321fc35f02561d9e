// Says so in plain words when a request made by htmx fails: 5xx answers are not swapped in
// (see the htmx-config meta tag), and a dropped connection gives no answer at all.
(function () {
  "use strict";

  function showRequestError(message) {
    var box = document.getElementById("request-error");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
  }

  function hideRequestError() {
    var box = document.getElementById("request-error");
    if (box) box.hidden = true;
  }

  document.addEventListener("htmx:response:error", function (event) {
    if (event.detail.ctx.response.status >= 500) {
      showRequestError("Something went wrong on our side. Please try again in a little while.");
    }
  });

  document.addEventListener("htmx:error", function () {
    showRequestError("We couldn't reach the catalog. Check your connection and try again.");
  });

  document.addEventListener("htmx:before:request", hideRequestError);
})();
