/* Pamir Craft Archive: the item's picture at full size in a dialog. Without this script the
   picture is a plain link to the large file. Esc, the close button, or a tap anywhere closes. */
(function () {
  "use strict";
  var link = document.querySelector("a.enlarge");
  if (!link || typeof HTMLDialogElement !== "function") return;
  var dialog = document.createElement("dialog");
  dialog.className = "lightbox";
  var close = document.createElement("button");
  close.type = "button";
  close.className = "close";
  close.textContent = link.getAttribute("data-close") || "×";
  var img = null;
  dialog.appendChild(close);
  document.body.appendChild(dialog);
  link.addEventListener("click", function (event) {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
    event.preventDefault();
    if (!img) {  /* made on the first opening: nothing is loaded before a visitor asks */
      var small = link.querySelector("img") || {};
      img = document.createElement("img");
      img.alt = small.alt || "";
      ["width", "height"].forEach(function (name) {
        if (small.getAttribute && small.getAttribute(name)) img.setAttribute(name, small.getAttribute(name));
      });
      img.src = link.href;
      dialog.appendChild(img);
    }
    dialog.showModal();
    close.focus();
  });
  dialog.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("close", function () { link.focus(); });
})();
