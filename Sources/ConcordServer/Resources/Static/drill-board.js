// The live board of a drill page: listens to the board's server-sent events and updates each
// team's cell (state and times) in place. Without script the page is the same, one load old.
(function () {
  var board = document.getElementById("board");
  if (!board || !window.EventSource) return;
  var source = new EventSource(board.getAttribute("data-events"));
  source.addEventListener("board", function (event) {
    var data = JSON.parse(event.data);
    var state = document.getElementById("drill-state");
    if (state) state.textContent = data.state;
    data.teams.forEach(function (row) {
      row.cells.forEach(function (cell) {
        var node = document.getElementById("cell-" + row.team + "-" + cell.inject);
        if (!node) return;
        node.className = "state state-" + cell.state;
        node.setAttribute("data-state", cell.state);
        node.textContent = cell.state + (cell.late ? " (late)" : "");
      });
    });
  });
})();
