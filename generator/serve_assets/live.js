// Served only by `kennisbank serve`, never part of a built site: reload this
// page when the site has been rebuilt. The build number of the page comes in
// data-build, so a rebuild that finished before this script ran is not missed.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = (script && script.getAttribute("data-build")) || "0";
  var events = new EventSource("/__kennisbank/events?since=" + encodeURIComponent(build));
  events.addEventListener("reload", function () {
    events.close();
    window.location.reload();
  });
})();
