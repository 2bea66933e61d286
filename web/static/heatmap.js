// Heatmap readout: pointing at, tapping or focusing an interval cell tells its figures.
// The detail table is a grid for the keyboard: Tab enters it on one cell, the arrow keys
// move between intervals and days, Home and End go to a day's first and last interval.
// Each cell also holds its figures in words for screen readers reading it as a table.
(function () {
  const table = document.getElementById("heatmap-detail");
  const readout = document.getElementById("hm-readout");
  if (!table || !readout) return;
  const times = table.dataset.times.split(",");
  const rows = Array.from(table.tBodies[0].rows).map((row) => Array.from(row.querySelectorAll("td.hm")));
  if (!rows.length || !rows[0].length) return;

  function describe(cell) {
    const required = Number(cell.dataset.r);
    const staffed = Number(cell.dataset.s);
    const missing = Math.max(0, required - staffed);
    const time = times[cell.cellIndex - 1];
    return table.dataset.language + " · " + cell.parentElement.dataset.day + " " + time +
      " UTC: required " + required + ", staffed " + staffed +
      (missing ? " (" + missing + " missing)" : required ? " (covered)" : " (no demand)") +
      (cell.classList.contains("dst") ? " · a site's clocks change in this interval" : "");
  }
  function show(event) {
    const cell = event.target.closest("td.hm");
    if (cell) readout.textContent = describe(cell);
  }

  // One cell in the tab order at a time (roving tabindex); the grid role tells screen
  // readers to pass the arrow keys through.
  table.setAttribute("role", "grid");
  table.setAttribute("aria-readonly", "true");
  let current = rows[0][0];
  for (const row of rows) for (const cell of row) cell.tabIndex = -1;
  current.tabIndex = 0;

  function moveTo(cell) {
    current.tabIndex = -1;
    current = cell;
    current.tabIndex = 0;
    current.focus();
  }
  table.addEventListener("keydown", (event) => {
    const cell = event.target.closest("td.hm");
    if (!cell || event.altKey || event.metaKey) return;
    const r = rows.findIndex((row) => row.includes(cell));
    const c = rows[r].indexOf(cell);
    const last = rows[r].length - 1;
    let target = null;
    if (event.key === "ArrowRight") target = rows[r][Math.min(c + 1, last)];
    else if (event.key === "ArrowLeft") target = rows[r][Math.max(c - 1, 0)];
    else if (event.key === "ArrowDown") target = rows[Math.min(r + 1, rows.length - 1)][c];
    else if (event.key === "ArrowUp") target = rows[Math.max(r - 1, 0)][c];
    else if (event.key === "Home") target = event.ctrlKey ? rows[0][0] : rows[r][0];
    else if (event.key === "End") target = event.ctrlKey ? rows[rows.length - 1][last] : rows[r][last];
    if (!target) return;
    event.preventDefault();
    moveTo(target);
  });
  table.addEventListener("focusin", show);
  table.addEventListener("mouseover", show);
  table.addEventListener("click", (event) => {
    const cell = event.target.closest("td.hm");
    if (cell) moveTo(cell);
    show(event);
  });
})();
