// Heatmap readout: pointing at (or tapping) an interval cell tells its figures.
(function () {
  const table = document.getElementById("heatmap-detail");
  const readout = document.getElementById("hm-readout");
  if (!table || !readout) return;
  const times = table.dataset.times.split(",");
  function show(event) {
    const cell = event.target.closest("td.hm");
    if (!cell) return;
    const required = Number(cell.dataset.r);
    const staffed = Number(cell.dataset.s);
    const missing = Math.max(0, required - staffed);
    const time = times[cell.cellIndex - 1];
    readout.textContent = table.dataset.language + " · " + cell.parentElement.dataset.day + " " + time +
      " UTC: required " + required + ", staffed " + staffed +
      (missing ? " (" + missing + " missing)" : required ? " (covered)" : " (no demand)") +
      (cell.classList.contains("dst") ? " · a site's clocks change in this interval" : "");
  }
  table.addEventListener("mouseover", show);
  table.addEventListener("click", show);
})();
