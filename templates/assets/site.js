/* kennisbank: progressive enhancement only. Every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  /* Glossary tooltips: open on hover, focus and tap; Escape closes; kept inside the viewport. */
  var openTip = null;
  function tipFor(link) {
    var id = link.getAttribute("aria-describedby");
    return id ? document.getElementById(id) : null;
  }
  function place(link, tip) {
    tip.style.left = "0px";
    tip.style.top = "0px";
    var margin = 8;
    var rect = link.getBoundingClientRect();
    var width = tip.offsetWidth;
    var height = tip.offsetHeight;
    var vw = document.documentElement.clientWidth;
    var left = Math.min(Math.max(margin, rect.left), vw - width - margin);
    var top = rect.bottom + 6;
    if (top + height > window.innerHeight - margin && rect.top - height - 6 > margin) {
      top = rect.top - height - 6;
    }
    tip.style.position = "fixed";
    tip.style.left = Math.max(margin, left) + "px";
    tip.style.top = top + "px";
  }
  function open(link) {
    var tip = tipFor(link);
    if (!tip) return;
    if (openTip && openTip !== tip) close();
    tip.classList.remove("is-dismissed");
    tip.classList.add("is-open");
    place(link, tip);
    openTip = tip;
  }
  function close(dismiss) {
    if (!openTip) return;
    openTip.classList.remove("is-open");
    if (dismiss) openTip.classList.add("is-dismissed");
    openTip = null;
  }
  document.addEventListener("mouseover", function (event) {
    var link = event.target.closest && event.target.closest("a.glossary-term");
    if (link) open(link);
  });
  document.addEventListener("mouseout", function (event) {
    var link = event.target.closest && event.target.closest("a.glossary-term");
    if (link && link !== document.activeElement) close();
  });
  document.addEventListener("focusin", function (event) {
    var link = event.target.closest && event.target.closest("a.glossary-term");
    if (link) open(link); else close();
  });
  document.addEventListener("focusout", function (event) {
    var link = event.target.closest && event.target.closest("a.glossary-term");
    if (link) close();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close(true);
  });
  /* A first tap on a touch screen shows the definition; a second tap follows the link. */
  document.addEventListener("touchstart", function (event) {
    var link = event.target.closest && event.target.closest("a.glossary-term");
    if (!link) { close(); return; }
    var tip = tipFor(link);
    if (tip && openTip !== tip) {
      event.preventDefault();
      open(link);
    }
  }, { passive: false });
  window.addEventListener("scroll", function () { close(); }, { passive: true });
  window.addEventListener("resize", function () { close(); });

  /* Resource index filter: the full list is there without JavaScript. */
  var filter = document.querySelector("[data-resource-filter]");
  if (filter) {
    filter.hidden = false;
    var input = filter.querySelector("input");
    var status = filter.querySelector("[role=status]");
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-filter-text]"));
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var text = item.getAttribute("data-filter-text");
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        item.hidden = !match;
        if (match) shown += 1;
      });
      document.querySelectorAll(".resource-group").forEach(function (group) {
        group.hidden = !group.querySelector(".resource:not([hidden])");
      });
      status.textContent = words.length ? shown + " / " + items.length : "";
    });
  }

  /* Search page: Pagefind's JavaScript API, results rendered as plain list items. */
  var searchPage = document.querySelector("[data-search-page]");
  if (searchPage) {
    var form = searchPage.querySelector("form");
    var field = searchPage.querySelector("input[type=search]");
    var results = searchPage.querySelector("[data-search-results]");
    var statusLine = searchPage.querySelector("[data-search-status]");
    var filtersBox = searchPage.querySelector("[data-search-filters]");
    var bundle = searchPage.getAttribute("data-bundle");
    var pagefind = null;
    var selected = { type: [], tag: [] };
    var load = function () {
      if (!pagefind) pagefind = import(bundle + "pagefind.js").then(function (pf) { pf.init(); return pf; });
      return pagefind;
    };
    var render = function (query) {
      results.textContent = "";
      if (!query) { statusLine.textContent = ""; return; }
      load().then(function (pf) {
        var filters = {};
        if (selected.type.length) filters.type = { any: selected.type };
        if (selected.tag.length) filters.tag = { any: selected.tag };
        return pf.search(query, { filters: filters }).then(function (search) {
          return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
        });
      }).then(function (items) {
        statusLine.textContent = items.length ? items.length + "" : statusLine.getAttribute("data-empty");
        items.forEach(function (item) {
          var li = document.createElement("li");
          var kind = document.createElement("span");
          kind.className = "search-result-kind";
          kind.textContent = (item.filters && item.filters.type && item.filters.type[0]) || "";
          var link = document.createElement("a");
          link.href = item.url;
          link.textContent = (item.meta && item.meta.title) || item.url;
          var excerpt = document.createElement("p");
          excerpt.innerHTML = item.excerpt; /* Pagefind escapes the text and adds only <mark> */
          li.appendChild(kind);
          li.appendChild(document.createElement("br"));
          li.appendChild(link);
          li.appendChild(excerpt);
          results.appendChild(li);
        });
      }).catch(function () {
        statusLine.textContent = statusLine.getAttribute("data-empty");
      });
    };
    var buildFilters = function () {
      load().then(function (pf) { return pf.filters(); }).then(function (available) {
        ["type", "tag"].forEach(function (name) {
          var box = filtersBox.querySelector('[data-filter-group="' + name + '"]');
          Object.keys(available[name] || {}).sort().forEach(function (value, i) {
            var id = "kb-filter-" + name + "-" + i;
            var wrap = document.createElement("div");
            var cb = document.createElement("input");
            cb.type = "checkbox"; cb.id = id; cb.value = value;
            var label = document.createElement("label");
            label.htmlFor = id;
            label.textContent = value + " (" + available[name][value] + ")";
            cb.addEventListener("change", function () {
              selected[name] = Array.prototype.slice.call(box.querySelectorAll("input:checked")).map(function (c) { return c.value; });
              render(field.value.trim());
            });
            wrap.appendChild(cb); wrap.appendChild(label); box.appendChild(wrap);
          });
        });
        filtersBox.hidden = false;
      }).catch(function () {});
    };
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = field.value.trim();
      history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname);
      render(q);
    });
    var initial = new URLSearchParams(location.search).get("q") || "";
    field.value = initial;
    buildFilters();
    if (initial) render(initial);
  }
})();
