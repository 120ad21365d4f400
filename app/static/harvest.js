// The harvest source page: follow a running harvest (progress bar and counts) until it ends.
(function () {
  "use strict";

  function follow(section) {
    var fields = {};
    section.querySelectorAll("[data-run-field]").forEach(function (el) {
      fields[el.getAttribute("data-run-field")] = el;
    });
    var labels = JSON.parse(fields.state.getAttribute("data-labels") || "{}");
    function poll() {
      fetch(section.getAttribute("data-harvest-status"),
            { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (run) {
          if (!run) return setTimeout(poll, 3000);
          fields.state.textContent = run.status_label || labels[run.status] || run.status;
          if (run.total) {
            fields.progress.max = run.total;
            fields.progress.value = Math.min(run.seen, run.total);
            if (fields.total) fields.total.textContent = String(run.total);
          }
          fields.seen.textContent = String(run.seen);
          ["created", "updated", "deleted", "unchanged", "failed"].forEach(function (k) {
            if (fields[k]) fields[k].textContent = String(run.counts[k] || 0);
          });
          if (run.status === "done" || run.status === "failed") {
            section.removeAttribute("data-live");
            if (run.status === "done") {
              fields.progress.max = 1;
              fields.progress.value = 1;
            }
            var done = section.querySelector("[data-run-done]");
            if (done) done.hidden = false;
            return;
          }
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    poll();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-harvest-status][data-live='1']").forEach(follow);
  });
})();
