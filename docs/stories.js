// The stories page: each story's views (its languages, and side by side
// with each translation) become tabs. Without this script every view shows,
// one after another.
(function () {
  function choose(readings, view) {
    readings.querySelectorAll('[role="tab"]').forEach(function (tab) {
      const selected = tab.dataset.view === view;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
    });
    readings.querySelectorAll('[role="tabpanel"]').forEach(function (panel) {
      panel.hidden = panel.dataset.view !== view;
    });
  }
  function setUp() {
    document.querySelectorAll(".readings").forEach(function (readings) {
      const tabs = Array.from(readings.querySelectorAll('[role="tab"]'));
      if (!tabs.length) return;
      readings.classList.add("tabbed");
      tabs.forEach(function (tab, index) {
        tab.addEventListener("click", function () { choose(readings, tab.dataset.view); });
        tab.addEventListener("keydown", function (event) {
          const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
          if (!step) return;
          const next = tabs[(index + step + tabs.length) % tabs.length];
          choose(readings, next.dataset.view);
          next.focus();
        });
      });
      choose(readings, tabs[0].dataset.view);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
