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
