// The stories pages. Without this script every view of a story shows, one
// after another, and the principles, companies and languages are lists of
// links. With it, each story's views (its languages, and side by side with
// each translation) become tabs, and the lists become filters.
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

  function setUpTabs() {
    document.querySelectorAll(".readings").forEach(function (readings) {
      const tabs = Array.from(readings.querySelectorAll('[role="tab"]'));
      if (!tabs.length || readings.classList.contains("tabbed")) return;
      readings.classList.add("tabbed");
      tabs.forEach(function (tab, index) {
        tab.addEventListener("click", function () { choose(readings, tab.dataset.view); });
        tab.addEventListener("keydown", function (event) {
          // Arrow keys move along the tabs in reading order, whatever the direction.
          const rtl = getComputedStyle(readings).direction === "rtl";
          const step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
          if (!step) return;
          const next = tabs[(index + step + tabs.length) % tabs.length];
          choose(readings, next.dataset.view);
          next.focus();
        });
      });
      choose(readings, tabs[0].dataset.view);
    });
  }

  function setUpFilters() {
    const facets = document.querySelector("section.facets");
    if (!facets || facets.dataset.ready) return;
    facets.dataset.ready = "true";
    const stories = Array.from(document.querySelectorAll("article.story"));
    const form = document.createElement("form");
    form.className = "story-filters";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", facets.dataset.labelFilter);
    const selects = [];
    facets.querySelectorAll(".facet").forEach(function (facet) {
      const label = document.createElement("label");
      label.textContent = facet.dataset.label;
      const select = document.createElement("select");
      select.name = facet.dataset.facet;
      const all = document.createElement("option");
      all.value = "";
      all.textContent = facets.dataset.labelAll;
      select.append(all);
      facet.querySelectorAll("li[data-value]").forEach(function (item) {
        const option = document.createElement("option");
        option.value = item.dataset.value;
        const name = item.querySelector("a") && facet.dataset.facet !== "language"
          ? item.querySelector("a").textContent
          : item.firstChild.textContent.replace(/:\s*$/, "");
        option.textContent = name;
        select.append(option);
      });
      select.addEventListener("change", apply);
      label.append(select);
      form.append(label);
      selects.push(select);
      facet.hidden = true;
    });
    const clear = document.createElement("button");
    clear.type = "reset";
    clear.textContent = facets.dataset.labelClear;
    form.append(clear);
    form.addEventListener("reset", function () { setTimeout(apply); });
    const status = document.createElement("p");
    status.className = "story-filters-status";
    status.setAttribute("role", "status");
    facets.append(form, status);

    const digits = document.documentElement.lang === "fa" ? "۰۱۲۳۴۵۶۷۸۹" : null;
    function count(n) {
      const text = String(n);
      return digits ? text.replace(/[0-9]/g, function (d) { return digits[d]; }) : text;
    }
    function apply() {
      let shown = 0;
      stories.forEach(function (story) {
        const match = selects.every(function (select) {
          if (!select.value) return true;
          return (story.dataset[select.name] || "").split(" ").indexOf(select.value) >= 0;
        });
        story.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = facets.dataset.labelShown
        .replace("{shown}", count(shown))
        .replace("{total}", count(stories.length));
      // The table of contents lists only the stories shown.
      stories.forEach(function (story) {
        const heading = story.querySelector("h2[id]");
        if (!heading) return;
        document.querySelectorAll('.md-nav--secondary a[href="#' + heading.id + '"]').forEach(
          function (link) { link.parentElement.hidden = story.hidden; }
        );
      });
    }
    apply();
  }

  function setUp() {
    setUpTabs();
    setUpFilters();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
