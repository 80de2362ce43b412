// The live board of a drill page: listens to the board's server-sent events and updates each
// team's cell (state and times) in place, and says what changed in a polite live region for screen
// readers ("SingCERT: A1 acknowledged"). Without script the page is the same, one load old.
(function () {
  var board = document.getElementById("board");
  if (!board || !window.EventSource) return;
  var source = new EventSource(board.getAttribute("data-events"));
  source.addEventListener("board", function (event) {
    var data = JSON.parse(event.data);
    var state = document.getElementById("drill-state");
    if (state) state.textContent = data.state;
    var changes = [];
    data.teams.forEach(function (row) {
      var line = document.querySelector('tr[data-team="' + row.team + '"] td');
      var name = line ? line.firstChild.textContent.trim() : row.team;
      row.cells.forEach(function (cell) {
        var node = document.getElementById("cell-" + row.team + "-" + cell.inject);
        if (!node) return;
        var shown = node.getAttribute("data-state") || (node.firstElementChild && node.firstElementChild.getAttribute("data-state"));
        if (shown !== cell.state) changes.push(name + ": " + cell.inject + " " + cell.state);
        node.className = "state state-" + cell.state;
        node.setAttribute("data-state", cell.state);
        node.textContent = cell.state + (cell.late ? " (late)" : "");
      });
    });
    var news = document.getElementById("board-news");
    if (news && changes.length) news.textContent = changes.join("; ");
  });
})();
