/* Pamir Craft Archive: search in the browser. Data: window.PAMIR_SEARCH (search/data.js);
   folding table: window.PAMIR_FOLD (static/fold.js), made from the archive's own fold().
   Matching agrees with `archive search`: the data holds the index's own terms (lemmas, stems,
   folded words) as a table, each item's term ids, and a lexicon (each word of the archive →
   the ids of the terms the CLI looks for it under); every query word must meet a term of
   the item. A word of five letters or more that the archive never uses meets the words one
   edit away (as `word~` does in the CLI). See docs/search.md, "In the site". */
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

  // "0-3 7 14" (base 36, runs as first-last) → [0, 1, 2, 3, 7, 40]
  function ids(text) {
    var out = [];
    (text ? text.split(" ") : []).forEach(function (x) {
      var dash = x.indexOf("-");
      if (dash < 0) { out.push(parseInt(x, 36)); return; }
      for (var n = parseInt(x.slice(0, dash), 36), last = parseInt(x.slice(dash + 1), 36); n <= last; n++) out.push(n);
    });
    return out;
  }
  var FORMS = D.forms ? D.forms.split(" ") : [], NUMBER = new Map();
  FORMS.forEach(function (t, i) { NUMBER.set(t, i); });
  var LEX = new Map(Object.entries(D.lex || {}));
  (D.stop || "").split(" ").forEach(function (w) { LEX.set(w, ""); });
  // Facet values and named terms ("technique:felting") by number, with their terms: an
  // item has its own terms (x) and those of its facet values (f) and other named terms (n).
  var VALUES = D.values.map(function (v) { var i = v.indexOf(":"); return [v.slice(0, i), v.slice(i + 1)]; });
  var VALUE_TERMS = D.vt.map(ids);
  // A row: [key, title, facet values, own terms, other named terms, terms only its folded
  // text has, what differs from the
  // usual (u: the thumbnail's URL, w: 0 for no size, s: the number of its size in D.sizes,
  // l: the title's language; a bare number when only the size differs)].
  D.items = D.items.map(function (row) {
    var rest = typeof row[6] === "number" ? { s: row[6] } : row[6] || {};
    var it = Object.assign({ k: row[0], t: row[1], f: row[2] || "", x: row[3] || "", n: row[4] || "", y: row[5] || "" }, rest);
    if (it.u === undefined && D.thumb[0] + D.thumb[1]) it.u = D.thumb[0] + it.k + D.thumb[1];
    if (it.s !== undefined) { var wh = D.sizes[it.s].split(" "); it.w = +wh[0]; it.h = +wh[1]; }
    if (it.w === undefined && it.u && D.size[0]) { it.w = D.size[0]; it.h = D.size[1]; }
    return it;
  });
  D.items.forEach(function (it) {
    var terms = new Set(ids(it.x)), facets = {}, own = ids(it.f);
    own.forEach(function (i) { (facets[VALUES[i][0]] = facets[VALUES[i][0]] || []).push(VALUES[i][1]); });
    own.concat(ids(it.n || "")).forEach(function (i) { VALUE_TERMS[i].forEach(function (t) { terms.add(t); }); });
    it.f = facets;
    it.terms = terms;
    it.folded = new Set(ids(it.y));
  });

  // Whether a and b are at most one edit apart (insert, delete, substitute).
  function oneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0, j = 0, edits = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (a.length > b.length) i++;
      else if (b.length > a.length) j++;
      else { i++; j++; }
    }
    return edits + (a.length - i) + (b.length - j) <= 1;
  }
  // A query word: [the term ids it is looked for under in the analysed fields, those it
  // meets folded as it is (or, for an unknown word of five letters or more, one edit away)];
  // null for a stop word.
  function termsOfWord(w) {
    var lex = LEX.get(w);
    if (lex === "") return null;
    var own = NUMBER.has(w) ? [NUMBER.get(w)] : [];
    if (lex !== undefined) return [ids(lex), own];
    if (own.length || w.length < 5) return [own, own];
    var near = [];
    NUMBER.forEach(function (n, k) { if (oneEdit(w, k)) near.push(n); });
    return [[], near];
  }
  // The query as one [analysed, folded] pair of term-id lists a word.
  function queryTerms(text) {
    return words(text).split(" ").filter(Boolean).map(termsOfWord).filter(function (t) { return t !== null; });
  }
  window.pamirSearch = function (text) {
    var tokens = queryTerms(text);
    return D.items.filter(function (it) { return matchesQuery(it, tokens); }).map(function (it) { return it.k; });
  };

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
    for (var i = 0; i < tokens.length; i++) {
      var ok = false, a = tokens[i][0], f = tokens[i][1];
      for (var j = 0; j < a.length && !ok; j++) ok = it.terms.has(a[j]);
      for (j = 0; j < f.length && !ok; j++) ok = it.terms.has(f[j]) || it.folded.has(f[j]);
      if (!ok) return false;
    }
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
    var tokens = queryTerms(state.q);
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
