// Runs axe-core (injected just before this script) on every state the page reaches: once the page
// has loaded, and after every htmx swap has settled. Each run's serious and critical violations go
// back to the test through the `__axeReport` binding (tests/browser/conftest.py). Several swaps in
// a row make one run; a run asked for while one is going starts when it ends (axe runs one at a time).
(() => {
  if (window.top !== window || !window.axe || !window.__axeReport) return;
  // Only the rules that can fail a test: a rule's impact is fixed in its metadata (axe reports the
  // rule's impact for each of its failures), so leaving out the moderate and minor ones changes no
  // verdict and saves a good part of each run (the landmark and region rules walk the whole page).
  // axe._audit is axe's own rule table; should it go, every rule runs.
  const rules = Object.fromEntries(((window.axe._audit && window.axe._audit.rules) || [])
    .filter((rule) => rule.impact !== "serious" && rule.impact !== "critical")
    .map((rule) => [rule.id, { enabled: false }]));
  let running = null;   // the promise of the run in progress
  let queued = null;    // the state to audit once it ends
  let timer = null;     // a swap waiting to be audited (coalesces the settles of one response)

  // A swap can start a transition (an indicator fading out, a message fading in): audit the state
  // the page settles in, not a frame half-way. Endless animations (a spinner) are not waited for.
  function transitionsDone() {
    const finite = document.getAnimations().filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime));
    return Promise.race([Promise.allSettled(finite.map((a) => a.finished)), new Promise((r) => setTimeout(r, 2000))]);
  }

  async function audit(state) {
    const url = location.href;
    try {
      await transitionsDone();
      const results = await window.axe.run(document, { resultTypes: ["violations"], rules });
      const violations = results.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                       targets: v.nodes.map((n) => n.target.join(" ")) }));
      await window.__axeReport({ url, state, violations });
    } catch (error) {
      await window.__axeReport({ url, state, error: String(error) });
    }
  }

  function run(state) {
    if (running) { queued = state; return; }
    running = (async () => {
      let next = state;
      while (next) { queued = null; await audit(next); next = queued; }
      running = null;
    })();
  }

  // Synchronous in the load handler: most of axe's work is done before Playwright's goto returns.
  window.addEventListener("load", () => run("load"));
  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail && event.detail.target;
    const state = "after an htmx swap into " + (target && target.id ? "#" + target.id : target ? target.tagName.toLowerCase() : "?");
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; run(state); }, 0);
  });
  // The test's teardown waits on this: every state reached has been audited and reported.
  window.__axeIdle = () => new Promise((resolve) => {
    const check = () => (timer || running || document.readyState !== "complete" ? setTimeout(check, 10) : resolve());
    check();
  });
})();
