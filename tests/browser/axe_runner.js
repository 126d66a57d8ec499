// Runs axe-core (injected just before this script) on every state the page reaches: once the page
// has loaded, and after every htmx swap has settled. Each run's serious and critical violations go
// back to the test through the `__axeReport` binding (tests/browser/conftest.py). A run asked for
// while one is going starts when it ends (axe runs one at a time).
(() => {
  // Not in frames, nor in the page Chromium draws around an image or a text file opened alone.
  if (window.top !== window || !window.axe || !window.__axeReport || document.contentType !== "text/html") return;
  // Only the rules that can fail a test: a rule's impact is fixed in its metadata (axe reports the
  // rule's impact for each of its failures), so leaving out the moderate and minor ones changes no
  // verdict and saves a good part of each run (the landmark and region rules walk the whole page).
  // axe._audit is axe's own rule table; should it go, every rule runs.
  const rules = Object.fromEntries(((window.axe._audit && window.axe._audit.rules) || [])
    .filter((rule) => rule.impact !== "serious" && rule.impact !== "critical")
    .map((rule) => [rule.id, { enabled: false }]));
  let running = null;   // the promise of the run in progress
  let queued = null;    // the state to audit once it ends
  let timer = null;     // a swap waiting to be audited (see whenQuiet)

  // A swap can start a transition (an indicator fading in or out, a message fading in): audit the
  // state the page settles in, not a frame half-way. Endless animations (a spinner) are not waited
  // for. A transition that starts while axe runs (the test typed on) spoils its colour figures:
  // that run is done again, up to three times.
  let moved = false;
  document.addEventListener("transitionrun", () => { moved = true; }, true);
  document.addEventListener("animationstart", () => { moved = true; }, true);
  function transitionsDone() {
    const finite = document.getAnimations().filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime));
    return Promise.race([Promise.allSettled(finite.map((a) => a.finished)), new Promise((r) => setTimeout(r, 2000))]);
  }

  async function audit(state) {
    const url = location.href;
    try {
      let results;
      for (let attempt = 0; attempt < 3; attempt++) {
        await transitionsDone();
        moved = false;
        results = await window.axe.run(document, { resultTypes: ["violations"], rules });
        if (!moved) break;
      }
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
  // A swap is audited once the page is quiet: no input for QUIET_MS and no htmx request under way.
  // axe holds the main thread for a few hundred ms, and run in the middle of typing it would reorder
  // the page's own timers (an input's hx-trigger delay firing before the response of a click that
  // came after it), making journeys flaky for the tool's sake. Swaps in a row make one run, of the
  // state the page rests in.
  const QUIET_MS = 400;
  let lastInput = 0;
  let swapState = null;
  for (const type of ["input", "change", "keydown", "pointerdown", "click", "htmx:beforeRequest"]) {
    document.addEventListener(type, () => { lastInput = performance.now(); }, true);
  }
  const inFlight = () => document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling");
  function whenQuiet() {
    const quietFor = performance.now() - lastInput;
    if (quietFor < QUIET_MS || inFlight()) {
      timer = setTimeout(whenQuiet, Math.max(20, QUIET_MS - quietFor));
      return;
    }
    timer = null;
    run(swapState);
  }
  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.target;  // htmx fires afterSettle on the element it swapped into
    swapState = "after an htmx swap into " + (target.id ? "#" + target.id : target.tagName.toLowerCase());
    clearTimeout(timer);
    timer = setTimeout(whenQuiet, 0);
  });
  // The test's teardown waits on this: every state reached has been audited and reported, including
  // that of an htmx request or swap still under way (its settle is yet to come).
  const busy = () => timer || running || document.readyState !== "complete" || inFlight();
  window.__axeIdle = () => new Promise((resolve) => {
    const check = () => (busy() ? setTimeout(check, 10) : resolve());
    check();
  });
})();
