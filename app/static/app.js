// Live processing status, a drop zone for uploads, and the small things that
// make pages work on a phone and from the keyboard. No inline scripts: the
// Content-Security-Policy forbids them.
(function () {
  "use strict";

  // CSS shows some controls only when this script runs (see .js in app.css).
  document.documentElement.classList.add("js");

  function liveStatuses() {
    var badges = Array.prototype.slice.call(document.querySelectorAll("[data-live='1']"));
    if (!badges.length) return;
    var ids = badges.map(function (b) { return b.getAttribute("data-doc-status"); });
    fetch("/api/v1/documents/status?ids=" + encodeURIComponent(ids.join(",")),
          { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { documents: [] }; })
      .then(function (data) {
        data.documents.forEach(function (doc) {
          document.querySelectorAll("[data-doc-status='" + doc.id + "']").forEach(function (b) {
            b.textContent = doc.label;  // textContent: never parsed as HTML
            b.className = "status status-" + doc.status;
            if (doc.status !== "queued" && doc.status !== "processing") {
              b.removeAttribute("data-live");
              refreshDocument(doc.id);
            }
          });
          if (doc.status === "failed") {
            document.querySelectorAll("[data-doc-error='" + doc.id + "']").forEach(function (el) { el.hidden = false; });
            document.querySelectorAll("[data-doc-error-text='" + doc.id + "']").forEach(function (el) { el.textContent = doc.error || ""; });
            // No retry for a failure that the same bytes would repeat (an empty file…).
            document.querySelectorAll("[data-retry='" + doc.id + "']").forEach(function (el) { el.hidden = !doc.retryable; });
          }
        });
      })
      .catch(function () { /* try again on the next tick */ })
      .finally(function () { setTimeout(liveStatuses, 1500); });
  }

  // Once processing ends, the rest of the document page (history, pages,
  // extracted text) is out of date: fetch the page again and swap the article.
  function refreshDocument(id) {
    var article = document.querySelector("article.document[data-document='" + id + "']");
    if (!article) return;
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html")
          .querySelector("article.document[data-document='" + id + "']");
        if (!fresh) return;
        var copy = document.importNode(fresh, true);
        article.replaceWith(copy);
        labelTableCells(copy);
      })
      .catch(function () { /* the badge is already right; keep the page */ });
  }

  function dropZone() {
    var zone = document.querySelector("[data-dropzone]");
    if (!zone) return;
    var input = zone.querySelector("input[type=file]");
    var list = zone.querySelector("[data-chosen]");
    function show() {
      list.textContent = "";
      Array.prototype.forEach.call(input.files, function (f) {
        var li = document.createElement("li");
        li.textContent = f.name + " (" + Math.ceil(f.size / 1024) + " KB)";
        list.appendChild(li);
      });
    }
    ["dragenter", "dragover"].forEach(function (ev) {
      zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      zone.addEventListener(ev, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      input.files = e.dataTransfer.files;
      show();
      input.dispatchEvent(new Event("filesdropped"));
    });
    input.addEventListener("change", show);
  }

  // "Use" buttons next to recognised metadata copy the value into the field.
  function useOnClick(button, field, value) {
    button.addEventListener("click", function () {
      field.value = value;
      field.dispatchEvent(new Event("change"));
      button.textContent = "✓";
    });
  }

  function suggestions() {
    document.querySelectorAll("[data-suggest-for]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-suggest-for"));
      if (input) useOnClick(button, input, button.getAttribute("data-suggest-value"));
    });
  }

  // Upload form: once one file is chosen, the server reads it (without archiving
  // it) and offers what it recognised next to the fields. Values are only offered.
  function uploadSuggestions() {
    var box = document.querySelector("[data-upload-suggestions]");
    var input = document.querySelector("form.upload input[type=file]");
    if (!box || !input) return;
    var message = box.querySelector("[data-message]");
    var list = box.querySelector("dl");
    var fillEmpty = box.querySelector("[data-fill-empty]");
    var asked = 0;
    var initial = {};      // the form as it was served: a field still like this is untouched
    // A form sent back after an error holds what the person chose: only empty fields are free.
    if (!box.hasAttribute("data-resubmitted")) {
      document.querySelectorAll("form.upload input, form.upload select, form.upload textarea")
        .forEach(function (f) { if (f.id) initial[f.id] = f.value; });
    }

    function offer(name, value, shown) {
      var field = document.getElementById(name);
      if (!field) return;
      var label = document.querySelector("label[for='" + name + "']");
      var dt = document.createElement("dt");
      dt.textContent = label ? label.textContent : name;
      var dd = document.createElement("dd");
      var span = document.createElement("span");
      span.className = "offer";
      span.textContent = shown || value;  // textContent: never parsed as HTML
      var button = document.createElement("button");
      button.type = "button";
      button.className = "small";
      button.textContent = box.getAttribute("data-use");
      button.setAttribute("data-offer-for", name);
      useOnClick(button, field, value);
      dd.appendChild(span);
      dd.appendChild(document.createTextNode(" "));
      dd.appendChild(button);
      list.appendChild(dt);
      list.appendChild(dd);
    }

    // The file just chosen, or else the one kept on the server after a form error.
    function read() {
      list.textContent = "";
      fillEmpty.hidden = true;
      var staged = box.getAttribute("data-staged-token");
      if (input.files.length !== 1 && !(input.files.length === 0 && staged)) {
        box.hidden = true; return;
      }
      var mine = ++asked;
      box.hidden = false;
      message.textContent = box.getAttribute("data-reading");
      var data = new FormData();
      if (input.files.length === 1) data.append("file", input.files[0]);
      else data.append("staged", staged);
      fetch(box.getAttribute("data-url"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": box.getAttribute("data-csrf"), "Accept": "application/json" }
      })
        .then(function (r) { return r.json(); })
        .then(function (res) {
          if (mine !== asked) return;      // another file was chosen meanwhile
          message.textContent = res.message || "";
          var names = Object.keys(res.offers || {});
          var labels = res.labels || {};
          names.forEach(function (name) { offer(name, res.offers[name], labels[name]); });
          fillEmpty.hidden = names.length === 0;
        })
        .catch(function () {
          if (mine === asked) message.textContent = box.getAttribute("data-failed");
        });
    }

    // Only the fields still empty (or at their default) are filled: never what a person typed.
    fillEmpty.addEventListener("click", function () {
      list.querySelectorAll("[data-offer-for]").forEach(function (button) {
        var field = document.getElementById(button.getAttribute("data-offer-for"));
        var name = button.getAttribute("data-offer-for");
        if (field.value.trim() === "" || field.value === initial[name]) button.click();
      });
    });
    input.addEventListener("change", read);
    input.addEventListener("filesdropped", read);
    if (box.getAttribute("data-staged-token")) read();
  }

  // On a phone, tables are shown as one card per row (app.css); each cell
  // shows its column's name, taken from the table's header row.
  function labelTableCells(root) {
    (root || document).querySelectorAll("table.list").forEach(function (table) {
      var names = [];
      table.querySelectorAll("thead tr:first-child th").forEach(function (th) {
        for (var i = 0; i < (th.colSpan || 1); i++) names.push(th.textContent.trim());
      });
      if (!names.length) return;
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var column = 0;
        Array.prototype.forEach.call(tr.cells, function (cell) {
          var name = names[column];
          if (name && cell.colSpan === 1 && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", name);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  // Filters fold behind their summary on narrow screens and stay open on wide
  // ones (where the summary is hidden). Served closed, so a phone never shows
  // fifty facet lines before the first hit, even for a moment.
  function foldOnNarrowScreens() {
    var folds = document.querySelectorAll("details[data-fold-narrow]");
    if (!folds.length || !window.matchMedia) return;
    var wide = window.matchMedia("(min-width: 721px)");
    function apply() {
      folds.forEach(function (d) { d.open = wide.matches; });
    }
    apply();
    if (wide.addEventListener) wide.addEventListener("change", apply);
  }

  // Phones: the header's menu, user and language fold behind one button, so
  // the page starts near the top of the screen. Wider screens ignore the
  // folded state (app.css applies it only under 720 px).
  function menuToggle() {
    var header = document.querySelector("header.top");
    var button = header && header.querySelector(".menu-toggle");
    if (!button) return;
    function set(open) {
      header.classList.toggle("menu-closed", !open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    set(false);
    button.addEventListener("click", function () {
      set(header.classList.contains("menu-closed"));
    });
  }

  // "/" goes to the search box from anywhere, except while typing in a field.
  function slashToSearch() {
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      var box = document.querySelector("[data-search-box]");
      if (!box) return;
      e.preventDefault();
      box.focus();
      box.select();
    });
  }

  // The bell in the header: its unread count follows new notifications (every minute;
  // data-poll-seconds, from BELL_POLL_SECONDS).
  function bell() {
    var link = document.querySelector("[data-bell]");
    var badge = link && link.querySelector("[data-bell-count]");
    if (!badge) return;
    var every = Math.max(1, parseInt(link.getAttribute("data-poll-seconds"), 10) || 60) * 1000;
    function show(n) {
      badge.hidden = !n;
      badge.textContent = n > 99 ? "99+" : String(n);
      link.classList.toggle("has-unread", n > 0);
      link.setAttribute("aria-label", n ? link.getAttribute("data-label-some").replace("{n}", n)
                                        : link.getAttribute("data-label-none"));
    }
    function poll() {
      fetch("/api/v1/notifications/unread-count",
            { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && typeof data.unread === "number") show(data.unread); })
        .catch(function () { /* keep the count shown; try again later */ })
        .finally(function () { setTimeout(poll, every); });
    }
    setTimeout(poll, every);
  }

  document.addEventListener("DOMContentLoaded", function () {
    bell();
    labelTableCells();
    foldOnNarrowScreens();
    menuToggle();
    slashToSearch();
    liveStatuses();
    dropZone();
    suggestions();
    uploadSuggestions();
  });
})();

// Bulk work: selection on lists and search hits, the action's own fields, the
// dossier picker (searched by code or title) and the live progress of an operation.
(function () {
  "use strict";

  function selection(form) {
    var boxes = form.querySelectorAll("[data-select]");
    var all = form.querySelector("[data-select-all]");
    var counter = form.querySelector("[data-selected-count]");
    function update() {
      var n = form.querySelectorAll("[data-select]:checked").length;
      if (counter) counter.textContent = String(n);
      if (all) {
        all.checked = n > 0 && n === boxes.length;
        all.indeterminate = n > 0 && n < boxes.length;
      }
    }
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    if (all) {
      all.addEventListener("change", function () {
        boxes.forEach(function (b) { b.checked = all.checked; });
        update();
      });
    }
    update();
  }

  // Only the fields of the chosen action are shown (without scripts, all are).
  function actionFields(form) {
    var action = form.querySelector("[data-bulk-action]");
    if (!action) return;
    function show() {
      form.querySelectorAll("[data-bulk-for]").forEach(function (el) {
        el.hidden = el.getAttribute("data-bulk-for").split(" ").indexOf(action.value) < 0;
      });
    }
    action.addEventListener("change", show);
    show();
  }

  function dossierPicker(form) {
    var input = form.querySelector("[data-dossier-picker]");
    if (!input) return;
    var list = document.getElementById(input.getAttribute("list"));
    var asked = 0;
    input.addEventListener("input", function () {
      var mine = ++asked;
      fetch(input.getAttribute("data-dossier-picker") + "?q=" + encodeURIComponent(input.value),
            { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { dossiers: [] }; })
        .then(function (data) {
          if (mine !== asked) return;
          list.textContent = "";
          data.dossiers.forEach(function (d) {
            var option = document.createElement("option");
            option.value = d.code;
            option.textContent = d.code + " — " + d.title;  // never parsed as HTML
            list.appendChild(option);
          });
        })
        .catch(function () { /* the typed code is still checked by the server */ });
    });
  }

  function progress(section) {
    var fields = {};
    section.querySelectorAll("[data-bulk-field]").forEach(function (el) {
      fields[el.getAttribute("data-bulk-field")] = el;
    });
    var labels = JSON.parse(fields.state.getAttribute("data-labels") || "{}");
    function poll() {
      fetch(section.getAttribute("data-bulk-status"),
            { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (op) {
          if (!op) return setTimeout(poll, 2000);
          fields.state.textContent = labels[op.status] || op.status;
          fields.progress.value = op.progress;
          fields.progress.textContent = op.progress + "%";
          fields.percent.textContent = op.progress + "%";
          ["total", "processed", "changed", "unchanged", "skipped", "not_found", "failed"]
            .forEach(function (k) { if (fields[k]) fields[k].textContent = String(op[k]); });
          if (op.error) { fields.error.textContent = op.error; fields.error.hidden = false; }
          if (op.status === "done" || op.status === "failed") {
            section.removeAttribute("data-live");
            // The sentences saying why documents were refused are written by the server.
            if (op.refusals && op.refusals.length) { window.location.reload(); return; }
            var link = section.querySelector("[data-bulk-download]");
            if (link && op.download_url) link.hidden = false;
            return;
          }
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    poll();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-bulk-form]").forEach(function (form) {
      selection(form);
      actionFields(form);
      dossierPicker(form);
    });
    document.querySelectorAll("[data-bulk-status][data-live='1']").forEach(progress);
  });
})();
