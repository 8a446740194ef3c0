/* kennisbank: progressive enhancement only. Every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function closestTerm(target) {
    return target && target.closest ? target.closest("a.glossary-term") : null;
  }

  /* Glossary tooltips: open on hover, focus and tap; Escape closes; kept inside the viewport.
     The pointer may move from the term onto the tooltip without closing it (WCAG 1.4.13). */
  var openTip = null;
  var openLink = null;
  var closeTimer = 0;
  function tipFor(link) {
    var id = link.getAttribute("aria-describedby");
    return id ? document.getElementById(id) : null;
  }
  function place(link, tip) {
    var margin = 8;
    tip.style.position = "fixed";
    tip.style.left = "0px";
    tip.style.top = "0px";
    var rects = link.getClientRects();
    var rect = rects.length ? rects[0] : link.getBoundingClientRect();
    var width = tip.offsetWidth;
    var height = tip.offsetHeight;
    var vw = document.documentElement.clientWidth;
    var left = Math.min(Math.max(margin, rect.left), vw - width - margin);
    var top = rect.bottom + 6;
    if (top + height > window.innerHeight - margin && rect.top - height - 6 > margin) {
      top = rect.top - height - 6;
    }
    tip.style.left = Math.max(margin, left) + "px";
    tip.style.top = top + "px";
  }
  function open(link) {
    var tip = tipFor(link);
    if (!tip) return;
    window.clearTimeout(closeTimer);
    if (openTip && openTip !== tip) close();
    tip.classList.remove("is-dismissed");
    tip.classList.add("is-open");
    place(link, tip);
    openTip = tip;
    openLink = link;
  }
  function close(dismiss) {
    window.clearTimeout(closeTimer);
    if (!openTip) return;
    openTip.classList.remove("is-open");
    if (dismiss) openTip.classList.add("is-dismissed");
    openTip = null;
    openLink = null;
  }
  function closeSoon() {
    window.clearTimeout(closeTimer);
    closeTimer = window.setTimeout(function () {
      if (openLink && openLink !== document.activeElement) close();
    }, 200);
  }
  document.addEventListener("mouseover", function (event) {
    var link = closestTerm(event.target);
    if (link) { open(link); return; }
    if (openTip && openTip.contains(event.target)) window.clearTimeout(closeTimer);
  });
  document.addEventListener("mouseout", function (event) {
    var link = closestTerm(event.target);
    var onTip = openTip && openTip.contains(event.target);
    if ((link && link === openLink) || onTip) closeSoon();
  });
  document.addEventListener("focusin", function (event) {
    var link = closestTerm(event.target);
    if (link) open(link); else close();
  });
  document.addEventListener("focusout", function (event) {
    if (closestTerm(event.target)) close();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") close(true);
  });
  /* A first tap on a touch screen shows the definition; a second tap follows the link. */
  document.addEventListener("touchstart", function (event) {
    var link = closestTerm(event.target);
    if (!link) {
      if (!(openTip && openTip.contains(event.target))) close();
      return;
    }
    var tip = tipFor(link);
    if (tip && openTip !== tip) {
      event.preventDefault();
      open(link);
    }
  }, { passive: false });
  /* Keep an open popover beside its term while the page moves: focusing a term far down
     the page scrolls it into view, and that must not close the popover it just opened. */
  var placing = 0;
  function follow() {
    if (!openTip || placing) return;
    placing = window.requestAnimationFrame(function () {
      placing = 0;
      if (openTip && openLink) place(openLink, openTip);
    });
  }
  window.addEventListener("scroll", follow, { passive: true });
  window.addEventListener("resize", follow);

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

  /* Search page: Pagefind's JavaScript API; results are plain list items. */
  var searchPage = document.querySelector("[data-search-page]");
  if (searchPage) searchUi(searchPage);

  function searchUi(root) {
    var form = root.querySelector("form");
    var field = form.querySelector("input[type=search]");
    var list = root.querySelector("[data-search-results]");
    var statusLine = root.querySelector("[data-search-status]");
    var filtersBox = root.querySelector("[data-search-filters]");
    var say = function (name) { return root.getAttribute("data-" + name) || ""; };
    var selected = { type: [], tag: [] };
    var pagefind = null;
    var latest = 0;
    var typing = 0;

    function load() {
      if (!pagefind) {
        pagefind = import(say("bundle") + "pagefind.js").then(function (pf) {
          return Promise.resolve(pf.options({ baseUrl: say("base"), excerptLength: 26 }))
            .then(function () { return pf.init(); })
            .then(function () { return pf; });
        });
      }
      return pagefind;
    }
    function activeFilters() {
      var filters = {};
      if (selected.type.length) filters.type = { any: selected.type };
      if (selected.tag.length) filters.tag = { any: selected.tag };
      return filters;
    }
    function countText(n, query) {
      var label = [query].concat(selected.type, selected.tag).filter(Boolean).join(", ");
      return say(n === 1 ? "one" : "other").replace("{n}", String(n)).replace("{q}", label);
    }
    /* Search knows the glossary: a query that is exactly a term or one of its aliases
       ("PLG", "TOS") puts that term's page first, whatever Pagefind's scores say. */
    function names(item) {
      var meta = item.meta || {};
      return [meta.title || ""].concat((meta.aliases || "").split(" | "));
    }
    function namesTerm(item, wanted) {
      var kinds = (item.filters && item.filters.type) || [];
      if (kinds.indexOf(say("term-kind")) === -1) return false;
      return names(item).some(function (n) { return n.trim().toLowerCase() === wanted; });
    }
    function termsFirst(items, query) {
      var wanted = query.trim().toLowerCase();
      var first = items.filter(function (item) { return namesTerm(item, wanted); });
      return first.concat(items.filter(function (item) { return first.indexOf(item) === -1; }));
    }
    function show(items, query) {
      items = query ? termsFirst(items, query) : items;
      list.textContent = "";
      statusLine.textContent = items.length ? countText(items.length, query) : say("empty");
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "search-result";
        var kind = (item.filters && item.filters.type && item.filters.type[0]) || "";
        if (kind) {
          var badge = document.createElement("p");
          badge.className = "search-result-kind";
          badge.textContent = kind;
          li.appendChild(badge);
        }
        var heading = document.createElement("h2");
        heading.className = "search-result-title";
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = (item.meta && item.meta.title) || item.url;
        heading.appendChild(link);
        li.appendChild(heading);
        var excerpt = document.createElement("p");
        excerpt.className = "search-result-excerpt";
        excerpt.innerHTML = item.excerpt; /* Pagefind escapes the page text and adds only <mark> */
        li.appendChild(excerpt);
        list.appendChild(li);
      });
    }
    function run(query) {
      var ticket = ++latest;
      if (!query && !selected.type.length && !selected.tag.length) {
        list.textContent = "";
        statusLine.textContent = "";
        return;
      }
      statusLine.textContent = say("loading");
      load().then(function (pf) {
        return pf.search(query || null, { filters: activeFilters() });
      }).then(function (search) {
        if (ticket !== latest || !search) return null;
        return Promise.all(search.results.slice(0, 30).map(function (r) { return r.data(); }));
      }).then(function (items) {
        if (items && ticket === latest) show(items, query);
      }).catch(function () {
        if (ticket === latest) statusLine.textContent = say("failed");
      });
    }
    function remember(query) {
      history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname);
    }
    function buildFilters() {
      load().then(function (pf) { return pf.filters(); }).then(function (available) {
        ["type", "tag"].forEach(function (name) {
          var box = filtersBox.querySelector('[data-filter-group="' + name + '"]');
          var values = Object.keys(available[name] || {}).sort(function (a, b) { return a.localeCompare(b); });
          values.forEach(function (value, i) {
            var id = "kb-filter-" + name + "-" + i;
            var option = document.createElement("div");
            option.className = "filter-option";
            var box2 = document.createElement("input");
            box2.type = "checkbox";
            box2.id = id;
            box2.value = value;
            var label = document.createElement("label");
            label.htmlFor = id;
            label.textContent = value + " ";
            var count = document.createElement("span");
            count.className = "filter-count";
            count.textContent = "(" + available[name][value] + ")";
            label.appendChild(count);
            box2.addEventListener("change", function () {
              selected[name] = Array.prototype.slice.call(box.querySelectorAll("input:checked"))
                .map(function (c) { return c.value; });
              run(field.value.trim());
            });
            option.appendChild(box2);
            option.appendChild(label);
            box.appendChild(option);
          });
        });
        filtersBox.hidden = false;
      }).catch(function () {});
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(typing);
      var query = field.value.trim();
      remember(query);
      run(query);
    });
    field.addEventListener("input", function () {
      window.clearTimeout(typing);
      typing = window.setTimeout(function () {
        var query = field.value.trim();
        remember(query);
        run(query);
      }, 250);
    });
    var initial = new URLSearchParams(location.search).get("q") || "";
    field.value = initial;
    buildFilters();
    if (initial) run(initial);
  }
})();
