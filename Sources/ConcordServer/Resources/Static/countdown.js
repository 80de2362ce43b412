// Deadlines that move without a reload: every element with data-deadline (seconds since 1970)
// shows the time left as the server wrote it ("1 h 20 min left", "overdue by 5 min"), and its
// row takes the urgency class (due-overdue, due-soon under 30 minutes, due-later). Without script
// the page is the same, as of its load.
(function () {
  function text(seconds) {
    var minutes = Math.floor(Math.abs(seconds) / 60);
    var span = minutes >= 1440 ? Math.floor(minutes / 1440) + " d " + Math.floor((minutes % 1440) / 60) + " h"
      : minutes >= 60 ? Math.floor(minutes / 60) + " h " + (minutes % 60) + " min" : minutes + " min";
    return seconds >= 0 ? span + " left" : "overdue by " + span;
  }
  function tick() {
    var now = Date.now() / 1000;
    document.querySelectorAll("[data-deadline]").forEach(function (node) {
      var left = parseFloat(node.getAttribute("data-deadline")) - now;
      if (isNaN(left)) return;
      node.textContent = text(left);
      var row = node.closest("tr, li") || node;
      row.classList.remove("due-overdue", "due-soon", "due-later");
      row.classList.add(left < 0 ? "due-overdue" : left < 1800 ? "due-soon" : "due-later");
    });
  }
  tick();
  setInterval(tick, 30000);
})();
