/* Pamir Craft Archive: a click on a step in the list seeks the video to it. */
(function () {
  "use strict";
  var video = document.getElementById("player");
  if (!video) return;
  var links = Array.prototype.slice.call(document.querySelectorAll("a.seek"));
  // The WebVTT chapters track: only over http(s), since file: pages may not load tracks.
  var vtt = video.getAttribute("data-chapters");
  if (vtt && location.protocol !== "file:") {
    var track = document.createElement("track");
    track.kind = "chapters";
    track.src = vtt;
    track.srclang = video.getAttribute("data-srclang") || "";
    track.label = video.getAttribute("data-label") || "";
    track.default = true;
    video.appendChild(track);
  }
  function seek(t) {
    function go() {
      video.currentTime = t;
      var p = video.play();
      if (p && p.catch) p.catch(function () {});
    }
    if (video.readyState >= 1) go();
    else {
      video.addEventListener("loadedmetadata", go, { once: true });
      var p = video.play();
      if (p && p.catch) p.catch(function () {});
    }
  }
  links.forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      seek(parseFloat(a.getAttribute("data-start")) || 0);
      video.focus();
    });
  });
  video.addEventListener("timeupdate", function () {
    var now = video.currentTime, current = null;
    links.forEach(function (a) { if (parseFloat(a.getAttribute("data-start")) <= now + 0.05) current = a; });
    links.forEach(function (a) {
      if (a === current) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
    });
  });
})();
