// The progress bar of a certificate upload: poll the status URL every second while it runs,
// update the counts, and reload the page once it is finished (to show the errors and the report).
(function () {
  "use strict";
  var panel = document.querySelector(".upload-progress[data-status-url]");
  if (!panel || panel.getAttribute("data-running") !== "true") {
    return;
  }
  var url = panel.getAttribute("data-status-url");

  function show(state) {
    panel.querySelectorAll("[data-field]").forEach(function (element) {
      var name = element.getAttribute("data-field");
      if (!(name in state)) {
        return;
      }
      if (element.tagName === "PROGRESS") {
        element.value = state[name];
        element.textContent = state[name] + "%";
      } else {
        element.textContent = state[name];
      }
    });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.running) {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        // A lost connection: try again a little later; the refresh link still works.
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
