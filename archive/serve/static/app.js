/* The curation app's pages: editing over the JSON API, term picking, chapters, keyboard
   navigation and bulk selection in the grid, publishing progress. Plain JavaScript. */
"use strict";
(function () {
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var status = function (text) { var s = $("#status"); if (s) { s.textContent = text; } };
  var WORDS = {
    en: { saving: "Saving…", saved: "Saved.", waiting: "Waiting for the archive lock (another command is writing)…" },
    ru: { saving: "Сохранение…", saved: "Сохранено.", waiting: "Ждём, пока другая команда закончит запись в архив…" },
    tg: { saving: "Захира шуда истодааст…", saved: "Захира шуд.", waiting: "Интизори анҷоми фармони дигар дар бойгонӣ…" }
  };
  var words = WORDS[document.body.dataset.lang] || WORDS.en;

  /* Who is editing: remembered in this browser, sent with every change. */
  var actor = $("#actor");
  if (actor) {
    actor.value = localStorage.getItem("archive-actor") || "";
    actor.addEventListener("change", function () { localStorage.setItem("archive-actor", actor.value.trim()); });
  }
  var who = function () { return actor ? actor.value.trim() : ""; };
  document.addEventListener("submit", function () {
    $$(".actor-field").forEach(function (f) { f.value = who(); });
  }, true);

  /* A write waits for the archive's lock: say so while it waits. */
  function send(method, url, body, headers) {
    var done = false;
    var watch = setTimeout(function poll() {
      if (done) { return; }
      fetch("/api/lock").then(function (r) { return r.json(); }).then(function (s) {
        if (!done && s.waiting) { status(words.waiting); }
        if (!done) { watch = setTimeout(poll, 500); }
      }).catch(function () {});
    }, 300);
    var h = { "Content-Type": "application/json" };
    Object.keys(headers || {}).forEach(function (k) { h[k] = headers[k]; });
    if (who()) { body.actor = who(); }
    return fetch(url, { method: method, headers: h, body: JSON.stringify(body), credentials: "same-origin" })
      .then(function (r) {
        done = true; clearTimeout(watch);
        return r.json().then(function (data) { return { status: r.status, data: data }; });
      });
  }

  /* Browse: arrow keys move between cards, space selects, enter opens; bulk edit. */
  var grid = $("#grid");
  if (grid) {
    var cards = $$(".card .open", grid);
    grid.addEventListener("keydown", function (e) {
      var i = cards.indexOf(document.activeElement);
      if (i < 0) { return; }
      var perRow = Math.max(1, Math.round(grid.clientWidth / cards[0].parentNode.clientWidth));
      var to = { ArrowRight: i + 1, ArrowLeft: i - 1, ArrowDown: i + perRow, ArrowUp: i - perRow }[e.key];
      if (to !== undefined) { e.preventDefault(); if (cards[to]) { cards[to].focus(); } }
      if (e.key === " ") { e.preventDefault(); var box = $(".pick", cards[i].parentNode); box.checked = !box.checked; count(); }
    });
    var count = function () { $("#selected-count").textContent = $$(".pick:checked", grid).length; };
    grid.addEventListener("change", count);
    $("#bulk").addEventListener("submit", function (e) {
      e.preventDefault();
      var keys = $$(".pick:checked", grid).map(function (b) { return b.value; });
      var field = this.field.value, value = this.value.value;
      var body = { keys: keys };
      var many = ["technique", "material", "object_type", "process_step", "collections", "keywords"];
      body[many.indexOf(field) >= 0 ? "add" : "set"] = {};
      body[many.indexOf(field) >= 0 ? "add" : "set"][field] = value;
      send("POST", "/api/items", body).then(function (r) {
        status(r.status === 200 ? words.saved + " " + r.data.changes.length : r.data.error);
      });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "/" && document.activeElement.tagName !== "INPUT") { e.preventDefault(); $("#q").focus(); }
    });
  }

  /* Term pickers: suggestions in every language and script as one types. */
  $$(".terms").forEach(function (box) {
    var name = box.dataset.terms, input = $(".picker", box), list = $(".suggestions", box);
    var single = box.dataset.single === "1";
    var show = function (terms) {
      list.innerHTML = "";
      terms.forEach(function (term, n) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = "opt-" + name + "-" + n;
        li.dataset.slug = term.slug;
        var label = term.labels[document.body.dataset.lang] || term.labels.en || term.slug;
        li.textContent = label + " · " + [term.labels.en, term.labels.ru, term.labels.tg].filter(Boolean).join(" / ");
        li.dataset.label = label;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(li); });
        list.appendChild(li);
      });
      list.hidden = !terms.length;
      input.setAttribute("aria-expanded", terms.length ? "true" : "false");
    };
    var choose = function (li) {
      if (single) { input.value = li.dataset.label; input.dataset.slug = li.dataset.slug; }
      else if (!$('li[data-slug="' + li.dataset.slug + '"]', $(".chips", box))) {
        var chip = document.createElement("li");
        chip.dataset.slug = li.dataset.slug;
        chip.textContent = li.dataset.label + " ";
        var drop = document.createElement("button");
        drop.type = "button"; drop.className = "drop"; drop.textContent = "×";
        drop.setAttribute("aria-label", "× " + li.dataset.label);
        chip.appendChild(drop);
        $(".chips", box).appendChild(chip);
        input.value = "";
      }
      show([]);
    };
    var timer;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (!input.value.trim()) { show([]); return; }
        fetch("/api/terms/" + name + "?q=" + encodeURIComponent(input.value))
          .then(function (r) { return r.json(); }).then(function (d) { show(d.terms || []); });
      }, 120);
    });
    input.addEventListener("keydown", function (e) {
      var options = $$("li", list), active = $("li.active", list), i = options.indexOf(active);
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (active) { active.classList.remove("active"); }
        var next = options[(i + (e.key === "ArrowDown" ? 1 : -1) + options.length) % options.length];
        if (next) { next.classList.add("active"); input.setAttribute("aria-activedescendant", next.id); }
      } else if (e.key === "Enter" && (active || options.length)) {
        e.preventDefault(); choose(active || options[0]);
      } else if (e.key === "Escape") { show([]); }
    });
    input.addEventListener("blur", function () { setTimeout(function () { show([]); }, 150); });
    box.addEventListener("click", function (e) {
      if (e.target.classList.contains("drop")) { e.target.parentNode.remove(); }
    });
  });

  /* The item editor: send only what changed, with the version it was loaded at. */
  var editor = $("#editor");
  if (editor) {
    var key = editor.dataset.key;
    var changes = function () {
      var body = { set: {}, add: {}, remove: {}, unset: [] };
      $$("[data-field]", editor).forEach(function (f) {
        if (f.value.trim() === f.dataset.original.trim()) { return; }
        if (f.value.trim() === "" && f.dataset.field !== "consent") { body.unset.push(f.dataset.field); }
        else { body.set[f.dataset.field] = f.value; }
      });
      $$(".terms", editor).forEach(function (box) {
        var name = box.dataset.terms, before = box.dataset.original ? box.dataset.original.split("|") : [];
        if (box.dataset.single === "1") {
          var input = $(".picker", box);
          var slug = input.value.trim() ? input.dataset.slug || input.value : "";
          if (slug !== box.dataset.original) { if (slug) { body.set[name] = slug; } else { body.unset.push(name); } }
          return;
        }
        var now = $$(".chips li", box).map(function (li) { return li.dataset.slug; });
        var added = now.filter(function (s) { return before.indexOf(s) < 0; });
        var gone = before.filter(function (s) { return now.indexOf(s) < 0; });
        if (added.length) { body.add[name] = added; }
        if (gone.length) { body.remove[name] = gone; }
      });
      return body;
    };
    var empty = function (b) { return !Object.keys(b.set).length && !Object.keys(b.add).length && !Object.keys(b.remove).length && !b.unset.length; };
    var saveStatus = function (text) { $("#save-status").textContent = text; status(text); };
    var loaded = function (item) {
      editor.dataset.version = item.version;
      $$("[data-field]", editor).forEach(function (f) {
        var v = item[f.dataset.field];
        v = Array.isArray(v) ? v.join(", ") : (v === null || v === undefined ? "" : String(v));
        f.dataset.original = v; f.value = v;
      });
      $$(".terms", editor).forEach(function (box) {
        var v = item[box.dataset.terms];
        box.dataset.original = Array.isArray(v) ? v.join("|") : (v || "");
      });
    };
    var save = function (body) {
      saveStatus(words.saving);
      return send("PATCH", "/api/items/" + key, body, { "If-Match": '"' + editor.dataset.version + '"' })
        .then(function (r) {
          if (r.status === 200) { loaded(r.data); saveStatus(words.saved); $("#stale").hidden = true; refreshPreview(); }
          else if (r.status === 409) { stale(body, r.data); }
          else { saveStatus(r.data.error || ("HTTP " + r.status)); }
        });
    };
    $("#fields").addEventListener("submit", function (e) {
      e.preventDefault();
      var body = changes();
      if (empty(body)) { saveStatus(words.saved); return; }
      save(body);
    });
    /* The public page's preview follows what was saved (consent may have changed). */
    var refreshPreview = function () {
      fetch(location.pathname + location.search).then(function (r) { return r.text(); }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".preview");
        var now = $(".preview");
        if (fresh && now) { now.innerHTML = fresh.innerHTML; }
      });
    };
    var pending = null;
    var stale = function (body, data) {
      pending = { body: body, item: data.item };
      saveStatus(data.error);
      var rows = $("#stale-rows"); rows.innerHTML = "";
      var fields = Object.keys(body.set).concat(body.unset, Object.keys(body.add), Object.keys(body.remove));
      fields.filter(function (f, i) { return fields.indexOf(f) === i; }).forEach(function (f) {
        var theirs = data.item[f.replace(".", "_")];
        var mine = f in body.set ? body.set[f] : (body.unset.indexOf(f) >= 0 ? "" : JSON.stringify({ add: body.add[f] || [], remove: body.remove[f] || [] }));
        var tr = document.createElement("tr");
        [f, mine, Array.isArray(theirs) ? theirs.join(", ") : (theirs || "")].forEach(function (text, n) {
          var td = document.createElement(n ? "td" : "th");
          if (!n) { td.scope = "row"; td.textContent = text; }
          else {
            var label = document.createElement("label");
            var radio = document.createElement("input");
            radio.type = "radio"; radio.name = "take-" + f; radio.value = n === 1 ? "mine" : "theirs";
            radio.checked = n === 1;
            label.appendChild(radio); label.appendChild(document.createTextNode(" " + text));
            td.appendChild(label);
          }
          tr.appendChild(td);
        });
        tr.dataset.field = f;
        rows.appendChild(tr);
      });
      $("#stale").hidden = false;
      $("#stale-take").focus();
    };
    $("#stale-take").addEventListener("click", function () {
      if (!pending) { return; }
      var body = { set: {}, add: {}, remove: {}, unset: [] };
      $$("#stale-rows tr").forEach(function (tr) {
        var f = tr.dataset.field, mine = $('input[value="mine"]', tr).checked;
        if (!mine) { return; }
        if (f in pending.body.set) { body.set[f] = pending.body.set[f]; }
        if (pending.body.unset.indexOf(f) >= 0) { body.unset.push(f); }
        if (pending.body.add[f]) { body.add[f] = pending.body.add[f]; }
        if (pending.body.remove[f]) { body.remove[f] = pending.body.remove[f]; }
      });
      var item = pending.item; pending = null;
      editor.dataset.version = item.version;
      if (empty(body)) { loaded(item); $("#stale").hidden = true; saveStatus(words.saved); return; }
      loaded(item);
      save(body);
    });

    /* Zoom: buttons, the wheel, and dragging the enlarged picture. */
    var zoom = $("#zoom"), picture = $("#picture"), scale = 1;
    var apply = function () { picture.style.transform = "scale(" + scale + ")"; zoom.classList.toggle("zoomed", scale > 1); };
    if (zoom) {
      $("#zoom-in").addEventListener("click", function () { scale = Math.min(8, scale * 1.5); apply(); });
      $("#zoom-out").addEventListener("click", function () { scale = Math.max(1, scale / 1.5); apply(); });
      zoom.addEventListener("wheel", function (e) {
        e.preventDefault();
        var r = zoom.getBoundingClientRect();
        picture.style.transformOrigin = ((e.clientX - r.left) / r.width * 100) + "% " + ((e.clientY - r.top) / r.height * 100) + "%";
        scale = Math.min(8, Math.max(1, scale * (e.deltaY < 0 ? 1.25 : 0.8))); apply();
      }, { passive: false });
    }

    /* Chapters: mark at the play position, add, and seek from the list. */
    var player = $("#player"), chapterForm = $("#chapter-form");
    var seekers = function () {
      $$(".seek", editor).forEach(function (b) {
        b.onclick = function () { player.currentTime = parseFloat(b.dataset.start); player.focus(); };
      });
    };
    if (player && chapterForm) {
      seekers();
      $("#mark-start").addEventListener("click", function () { chapterForm.start.value = player.currentTime.toFixed(1); });
      $("#mark-end").addEventListener("click", function () { chapterForm.end.value = player.currentTime.toFixed(1); });
      chapterForm.addEventListener("submit", function (e) {
        e.preventDefault();
        var chapter = { start: parseFloat(chapterForm.start.value), end: parseFloat(chapterForm.end.value),
          process_step: chapterForm.process_step.value, caption: chapterForm.caption.value };
        send("POST", "/api/items/" + key + "/chapters", { add: [chapter] }).then(function (r) {
          if (r.status !== 200) { status(r.data.error); return; }
          var list = $("#chapter-list"); list.innerHTML = "";
          r.data.chapters.forEach(function (c) {
            var li = document.createElement("li"), b = document.createElement("button");
            b.type = "button"; b.className = "seek"; b.dataset.start = c.start;
            b.textContent = c.start + "–" + c.end + " s · " + (c.process_step || "") + " " + Object.values(c.caption || {}).join(" ");
            li.appendChild(b); list.appendChild(li);
          });
          seekers();
          fetch("/api/items/" + key).then(function (x) { return x.json(); }).then(function (item) { editor.dataset.version = item.version; });
          status(words.saved);
        });
      });
    }
  }

  /* Publishing: the export's stage, until it is done. */
  var progress = $("#progress");
  if (progress) {
    var poll = function () {
      fetch("/api/publish").then(function (r) { return r.json(); }).then(function (p) {
        var report = p.report ? " " + p.report.items + " · " + p.report.written + " / " + p.report.unchanged : "";
        progress.textContent = p.stage + (p.message ? ": " + p.message : "") + report;
        if (p.stage === "running") { setTimeout(poll, 500); }
      });
    };
    poll();
  }
})();
