/* Pamir Craft Archive: search in the browser. Data: window.PAMIR_SEARCH (search/data.js);
   folding table: window.PAMIR_FOLD (static/fold.js), made from the archive's own fold(). */
(function () {
  "use strict";
  var D = window.PAMIR_SEARCH, T = window.PAMIR_FOLD || {};
  var form = document.getElementById("search");
  if (!D || !form) return;
  var root = form.getAttribute("data-root") || "", home = form.getAttribute("data-home") || "";
  var input = document.getElementById("q"), facetBox = document.getElementById("facets");
  var status = document.getElementById("status"), list = document.getElementById("results");
  var PAGE = 60, shown = PAGE;
  /* Results come first; the filters fold under a button on a narrow screen, open beside them on a wide one. */
  var filters = document.getElementById("filters");
  if (filters) {
    filters.hidden = false;
    filters.open = !window.matchMedia || window.matchMedia("(min-width: 40rem)").matches;
  }

  function fold(text) {
    var out = "";
    for (var ch of String(text).normalize("NFC")) {
      var t = T[ch];
      out += t !== undefined ? t : ch.toLowerCase();
    }
    return out;
  }
  function words(text) { return fold(text).replace(/[^a-z0-9]+/g, " ").trim(); }
  window.pamirFold = fold;

  D.items.forEach(function (it) {
    var hay = it.s;
    Object.keys(it.f).forEach(function (name) {
      it.f[name].forEach(function (slug) { hay += D.terms[name + ":" + slug] || ""; });
    });
    it.hay = hay + " ";
  });

  var state = { q: "", sel: {} };
  function readUrl() {
    var p = new URLSearchParams(location.search);
    state.q = p.get("q") || "";
    state.sel = {};
    D.facets.forEach(function (n) {
      var v = p.getAll(n);
      if (v.length) state.sel[n] = v;
    });
    input.value = state.q;
  }
  function writeUrl() {
    var p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    D.facets.forEach(function (n) { (state.sel[n] || []).forEach(function (v) { p.append(n, v); }); });
    var s = p.toString();
    history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
    document.querySelectorAll(".langs a").forEach(function (a) {
      a.href = a.href.split("?")[0] + (s ? "?" + s : "");
    });
  }
  function matchesQuery(it, tokens) {
    for (var i = 0; i < tokens.length; i++) if (it.hay.indexOf(" " + tokens[i]) < 0) return false;
    return true;
  }
  function matchesFacets(it, except) {
    for (var n in state.sel) {
      if (n === except || !state.sel[n].length) continue;
      var have = it.f[n] || [], ok = false;
      for (var i = 0; i < state.sel[n].length; i++) if (have.indexOf(state.sel[n][i]) >= 0) ok = true;
      if (!ok) return false;
    }
    return true;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function tile(it) {
    var li = el("li", "tile tile-" + (it.f.kind || [""])[0]), a = el("a");
    a.href = home + "items/" + it.k + "/index.html";
    if (it.u) {
      var img = el("img");
      img.src = root + it.u;
      if (it.w) { img.width = it.w; img.height = it.h; }
      img.alt = it.t; img.loading = "lazy"; img.decoding = "async";
      if (it.l) img.lang = it.l;
      a.appendChild(img);
    } else {
      a.appendChild(el("span", "no-image"));
    }
    if ((it.f.kind || [])[0] === "video") a.appendChild(el("span", "badge", D.words.video));
    var cap = el("span", "caption", it.t);
    if (it.l) cap.lang = it.l;
    a.appendChild(cap);
    li.appendChild(a);
    return li;
  }
  function renderFacets(tokens) {
    facetBox.textContent = "";
    D.facets.forEach(function (name) {
      var counts = {};
      D.items.forEach(function (it) {
        if (!matchesQuery(it, tokens) || !matchesFacets(it, name)) return;
        (it.f[name] || []).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      var sel = state.sel[name] || [];
      var values = D.order[name].filter(function (v) { return counts[v] || sel.indexOf(v) >= 0; });
      if (!values.length) return;
      var fs = el("fieldset", "facet");
      fs.appendChild(el("legend", "", D.names[name]));
      values.forEach(function (v) {
        var id = "f-" + name + "-" + v, box = el("input"), label = el("label");
        box.type = "checkbox"; box.id = id; box.name = name; box.value = v;
        box.checked = sel.indexOf(v) >= 0;
        label.htmlFor = id;
        label.appendChild(document.createTextNode(D.labels[name][v] + " "));
        label.appendChild(el("span", "n", "(" + (counts[v] || 0) + ")"));
        var row = el("div", "opt");
        row.appendChild(box); row.appendChild(label);
        fs.appendChild(row);
      });
      facetBox.appendChild(fs);
    });
    if (Object.keys(state.sel).length) {
      var clear = el("button", "clear", D.words.clear);
      clear.type = "button";
      clear.addEventListener("click", function () { state.sel = {}; update(); });
      facetBox.appendChild(clear);
    }
  }
  /* "1 result", "2 результата", "5 натиҷа": the page's CLDR plural forms (data-forms). */
  var forms = JSON.parse(status.getAttribute("data-forms") || "{}");
  var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(status.getAttribute("data-plural-lang") || "en") : null;
  function counted(n) {
    var form = forms[rules ? rules.select(n) : "other"] || forms.other;
    return form ? form.replace("{n}", n) : n + " " + D.words.results;
  }
  function render() {
    var tokens = words(state.q).split(" ").filter(Boolean);
    var hits = D.items.filter(function (it) { return matchesQuery(it, tokens) && matchesFacets(it, null); });
    status.textContent = hits.length ? counted(hits.length) : D.words.none;
    list.textContent = "";
    hits.slice(0, shown).forEach(function (it) { list.appendChild(tile(it)); });
    if (hits.length > shown) {
      var li = el("li", "more"), b = el("button", "", "+ " + (hits.length - shown));
      b.type = "button";
      b.addEventListener("click", function () { shown += PAGE; render(); });
      li.appendChild(b); list.appendChild(li);
    }
    renderFacets(tokens);
  }
  function update() { shown = PAGE; writeUrl(); render(); }

  form.addEventListener("submit", function (e) { e.preventDefault(); state.q = input.value; update(); });
  input.addEventListener("input", function () { state.q = input.value; update(); });
  facetBox.addEventListener("change", function (e) {
    var box = e.target;
    if (!box || box.type !== "checkbox") return;
    var sel = state.sel[box.name] || [];
    sel = sel.filter(function (v) { return v !== box.value; });
    if (box.checked) sel.push(box.value);
    if (sel.length) state.sel[box.name] = sel; else delete state.sel[box.name];
    update();
  });
  readUrl();
  writeUrl();
  render();
})();
