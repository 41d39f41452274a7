/* Pamir Craft Archive: the zoom viewer page. Mirador, loaded here only and only when asked
   for, opens the manifest named by ?manifest= (site-relative, or a full http(s) address).
   Ids written without --base-url start with a reserved placeholder address: they are read
   as this site's own address. Opened from file://, a browser lets no script read the JSON
   files, so the picture named by ?image= is shown as it is, with a note saying why. */
(function () {
  "use strict";
  var box = document.getElementById("viewer");
  if (!box) return;
  var root = new URL(box.getAttribute("data-root"), location.href);
  var home = new URL(box.getAttribute("data-home"), location.href);
  var placeholder = box.getAttribute("data-placeholder");
  var query = new URLSearchParams(location.search);
  var inside = function (value) {  /* a site-relative path, never one leading out */
    return !!value && /^[A-Za-z0-9_.,\/-]+$/.test(value) && value.indexOf("..") < 0 && value[0] !== "/";
  };
  var back = document.getElementById("back");
  if (back && inside(query.get("back"))) back.href = new URL(query.get("back"), home).href;
  var plain = function () {
    var note = document.createElement("p");
    note.textContent = box.getAttribute("data-offline");
    box.className = "";
    box.appendChild(note);
    if (inside(query.get("image"))) {
      var img = document.createElement("img");
      img.src = new URL(query.get("image"), root).href;
      img.alt = "";
      box.appendChild(img);
    }
  };
  var asked = query.get("manifest");
  var manifest = asked ? new URL(asked, root) : null;
  if (!manifest || !/^https?:$/.test(manifest.protocol) || location.protocol === "file:") {
    plain();
    return;
  }
  var local = function (document) {
    return JSON.parse(JSON.stringify(document).split(placeholder).join(root.href));
  };
  var script = document.createElement("script");
  script.src = new URL("static/mirador/mirador.min.js", root).href;
  script.onerror = plain;
  script.onload = function () {
    window.Mirador.viewer({
      id: "viewer",
      windows: [{ manifestId: manifest.href }],
      window: { allowClose: false, allowMaximize: false },
      workspaceControlPanel: { enabled: false },
      requests: {
        postprocessors: [function (url, action) {
          if (action && action.manifestJson) action.manifestJson = local(action.manifestJson);
          if (action && action.json) action.json = local(action.json);
          return action;
        }]
      }
    });
  };
  document.head.appendChild(script);
})();
