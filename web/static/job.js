// Live progress of a solve job: polls the job's JSON once a second until it finishes.
(function () {
  const box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") return;
  const url = box.dataset.progressUrl;
  const show = (id, text) => { document.getElementById(id).textContent = text; };
  const dash = (value) => (value === null || value === undefined ? "—" : String(value));

  async function poll() {
    let job;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(response.status);
      job = await response.json();
    } catch (problem) {
      setTimeout(poll, 3000);
      return;
    }
    const p = job.progress;
    document.getElementById("job-state").innerHTML = "";
    const state = document.createElement("span");
    state.className = "state " + job.state;
    state.textContent = job.state;
    document.getElementById("job-state").appendChild(state);
    show("job-phase", dash(p.phase));
    show("job-elapsed", (p.elapsed_seconds || 0).toFixed(0));
    show("job-shortfall", dash(p.shortfall));
    show("job-bound", dash(p.bound));
    show("job-coverage", job.covered_share === null ? "—" : (100 * job.covered_share).toFixed(1) + "%");
    document.getElementById("job-bar").value = p.elapsed_seconds || 0;
    if (job.error) {
      const error = document.getElementById("job-error");
      error.textContent = job.error;
      error.hidden = false;
    }
    if (job.roster_url) {
      document.getElementById("job-roster-link").href = job.roster_url;
      document.getElementById("job-result").hidden = false;
    }
    if (job.finished) {
      const cancel = document.getElementById("job-cancel");
      if (cancel) cancel.remove();
      return;
    }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 500);
})();
