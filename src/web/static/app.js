// imeiflow's little JavaScript: everything works without it; it only makes
// progress bars match their numbers and asks before destructive actions.
// Served from /static (the Content-Security-Policy allows no inline script).
"use strict";

(function () {
  // Sizes the fill of a progress bar (.progress[data-percent]) and its text.
  function setProgress(bar, percent) {
    var value = Math.max(0, Math.min(100, Number(percent) || 0));
    bar.setAttribute("data-percent", String(Math.floor(value)));
    var fill = bar.querySelector(".progress-fill");
    if (fill) fill.style.width = value + "%";
    var text = bar.querySelector(".progress-text");
    if (text) text.textContent = Math.floor(value) + "%";
  }

  // Forms with data-confirm="question" ask before they submit.
  function guardConfirmations() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  }

  // A page holding an element with data-refresh="N" reloads itself every N seconds
  // (the dashboard), unless the user is typing in it.
  function scheduleRefresh() {
    var holder = document.querySelector("[data-refresh]");
    if (!holder) return;
    var seconds = Number(holder.getAttribute("data-refresh"));
    if (!(seconds > 0)) return;
    window.setTimeout(function () {
      var active = document.activeElement;
      if (active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) return;
      window.location.reload();
    }, seconds * 1000);
  }

  window.imeiflow = { setProgress: setProgress };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".progress[data-percent]").forEach(function (bar) {
      setProgress(bar, bar.getAttribute("data-percent"));
    });
    guardConfirmations();
    scheduleRefresh();
  });
})();

/* --- jobs pages --- */
// The submit page's service search filters the picker's options; the job
// page follows its job over server-sent events (/jobs/{id}/events) and moves
// the bar, the tiles, the rate, the ETA and the item table without reloading.
(function () {
  function filterServices() {
    var search = document.getElementById("service-search");
    var select = document.getElementById("service_id");
    if (!search || !select) return;
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(select.options, function (option) {
        var text = (option.textContent + " " + option.title).toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        option.hidden = !match;
        option.disabled = !match && !option.selected;
      });
    });
  }

  function setText(id, text) {
    var el = document.getElementById(id);
    if (el && text !== undefined && text !== null) el.textContent = String(text);
  }

  // The item table was rendered when the page loaded; while the job moves,
  // the same page (same page number) is fetched again at most every few
  // seconds and its table swapped in, so each IMEI's sending state and
  // result follow the tiles without a reload (and once more at the end).
  var itemsFetchedAt = 0;
  var itemsInterval = 4000;
  function refreshItems(force) {
    var table = document.getElementById("items");
    if (!table || !window.fetch || !window.DOMParser) return;
    var now = Date.now();
    if (!force && now - itemsFetchedAt < itemsInterval) return;
    itemsFetchedAt = now;
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("items");
        if (fresh) table.replaceWith(document.importNode(fresh, true));
      })
      .catch(function () {});
  }

  function followJob() {
    var holder = document.querySelector("[data-events]");
    if (!holder || !window.EventSource) return;
    var bar = document.getElementById("progress");
    var source = new EventSource(holder.getAttribute("data-events"));
    var lastFinished = null;
    source.onmessage = function (event) {
      var p;
      try { p = JSON.parse(event.data); } catch (e) { return; }
      if (bar) window.imeiflow.setProgress(bar, p.percent);
      setText("job-state", p.state_text);
      setText("job-sentence", p.sentence);
      setText("job-rate", p.rate_text);
      setText("job-eta", p.eta_text);
      setText("job-paused-reason", p.paused_reason);
      var paused = document.getElementById("job-paused");
      if (paused) paused.hidden = !p.paused_reason;
      Object.keys(p.tiles || {}).forEach(function (key) {
        setText("tile-" + key, Number(p.tiles[key]).toLocaleString("en-US"));
      });
      if (lastFinished !== null && p.finished !== lastFinished) refreshItems(false);
      lastFinished = p.finished;
      if (p.final) {
        source.close();
        var cancel = document.getElementById("cancel-form");
        if (cancel) cancel.hidden = true;
        refreshItems(true);
      }
    };
  }

  // The review page's copy button puts the listed IMEIs, one a line, on the
  // clipboard (to paste into the supplier's panel).
  function copyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        if (!source || !navigator.clipboard) return;
        var label = button.textContent;
        navigator.clipboard.writeText(source.value).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = label; }, 2000);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    filterServices();
    followJob();
    copyButtons();
  });
})();

/* --- copy buttons --- */
// A button with data-copy="ID" (hidden without JavaScript: the text stays
// selectable) copies the text of element ID to the clipboard, e.g. a new
// API token.
(function () {
  function enableCopyButtons() {
    if (!navigator.clipboard) return;
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent.trim()).then(
          function () { button.textContent = "Copied"; },
          function () { button.textContent = "Copy failed: select the text"; });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", enableCopyButtons);
})();
