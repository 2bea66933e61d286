// Live progress of a solve job: polls the job's JSON once a second until it finishes.
// A polite live region (#job-announce) tells screen readers when the phase changes, the
// figures every 15 s, and the result; when the solve ends, focus moves to the result link
// (or the error) if it was on the page or in the job's box (the Cancel button goes away).
(function () {
  const box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") return;
  const url = box.dataset.progressUrl;
  const announcer = document.getElementById("job-announce");
  const show = (id, text) => { document.getElementById(id).textContent = text; };
  const dash = (value) => (value === null || value === undefined ? "—" : String(value));
  const ANNOUNCE_EVERY_MS = 15000;
  let lastState = null;
  let lastPhase = null;
  let lastAnnounced = Date.now();

  function announce(text) {
    announcer.textContent = text;
    lastAnnounced = Date.now();
  }

  function figures(job) {
    const p = job.progress;
    const parts = [(p.elapsed_seconds || 0).toFixed(0) + " s elapsed"];
    if (job.covered_share !== null) parts.push("coverage " + (100 * job.covered_share).toFixed(1) + "%");
    if (p.shortfall !== null && p.shortfall !== undefined) parts.push("shortfall " + p.shortfall);
    return parts.join(", ");
  }

  function finish(job) {
    const focus = document.activeElement;
    const focusOnPage = !focus || focus === document.body || box.contains(focus);
    const cancel = document.getElementById("job-cancel");
    if (cancel) cancel.remove();
    let target = null;
    if (job.roster_url) {
      announce("Solve " + job.state + ": " + figures(job) + ". The roster is ready: Open the roster.");
      target = document.getElementById("job-roster-link");
    } else {
      announce("Solve " + job.state + (job.error ? ": " + job.error : "."));
      if (job.error) target = document.getElementById("job-error");
    }
    if (target && focusOnPage) target.focus();
  }

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
    const note = document.getElementById("job-note");
    note.textContent = job.note || "";
    note.hidden = !job.note;
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
      finish(job);
      return;
    }
    if (job.state !== lastState || (p.phase && p.phase !== lastPhase)) {
      announce("Solve " + job.state + (p.phase ? ", phase " + p.phase : "") + ": " + figures(job) + ".");
    } else if (Date.now() - lastAnnounced >= ANNOUNCE_EVERY_MS) {
      announce("Still solving: " + figures(job) + ".");
    }
    lastState = job.state;
    lastPhase = p.phase;
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 500);
})();
