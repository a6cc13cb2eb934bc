// Workout mode (templates/training/workout.html): one step at a time, a set ticked in one tap,
// each tick kept on the phone at once (localStorage, under the user's id and the session's), so
// closing the app loses nothing and reopening resumes at the next set; a rest timer that keeps
// its end time, not a count, so it is right after the phone sleeps; the screen kept awake.
// Finish sends the ticked sets once, with the key made when the workout started.
(() => {
  const PREFIX = "fitr-workout:";
  const store = {
    get(key) {
      try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { return null; }
    },
    set(key, value) {
      try { localStorage.setItem(key, JSON.stringify(value)); } catch (error) { /* private mode, full */ }
    },
    remove(key) {
      try { localStorage.removeItem(key); } catch (error) { /* nothing kept */ }
    },
  };

  // The summary shows: the server has the log, so the phone forgets the workout.
  const saved = document.querySelector("[data-saved]");
  if (saved) store.remove(PREFIX + saved.dataset.saved);

  const root = document.querySelector("[data-workout]");
  if (!root) return;
  const form = root.querySelector("form");
  const key = PREFIX + root.dataset.workout;
  const user = root.dataset.user;
  // Another person's workout left on a shared phone is never shown, and not kept.
  for (let i = localStorage.length - 1; i >= 0; i -= 1) {
    const name = localStorage.key(i);
    if (name && name.startsWith(PREFIX) && !name.startsWith(`${PREFIX}${user}:`)) store.remove(name);
  }

  const steps = [...root.querySelectorAll(".workout-step")];
  const rows = [...root.querySelectorAll(".workout-set")];
  const progress = root.querySelector("[data-progress]");
  const timer = root.querySelector("[data-rest-timer]");
  const left = root.querySelector("[data-rest-left]");
  const restChoice = root.querySelector("[data-default-rest]");
  const submissionKey = form.querySelector('input[name="submission_key"]');
  const fields = (row) => [...row.querySelectorAll("input:not([type=hidden])")];

  // The workout as the phone keeps it: the key made when it started, the ticked sets' values,
  // the step shown and when the rest ends.
  const state = store.get(key) || {
    submissionKey: (window.crypto && crypto.randomUUID && crypto.randomUUID()) || submissionKey.value,
    done: {},
    step: 0,
    restEnds: 0,
  };
  const save = () => store.set(key, state);
  submissionKey.value = state.submissionKey;
  save();

  const defaultRestKey = `${PREFIX}${user}:default-rest`;
  const chosenRest = store.get(defaultRestKey);
  if (chosenRest) restChoice.value = String(chosenRest);
  restChoice.addEventListener("change", () => store.set(defaultRestKey, Number(restChoice.value)));
  root.querySelector("[data-settings]").hidden = false;

  function mark(row, done) {
    row.classList.toggle("is-done", done);
    row.querySelector("[data-tick]").setAttribute("aria-pressed", String(done));
  }

  function markNext() {
    const next = rows.find((row) => !state.done[row.dataset.index] && !row.closest(".workout-step").hidden);
    rows.forEach((row) => row.classList.toggle("is-next", row === next));
  }

  function show(index) {
    state.step = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach((step, i) => { step.hidden = i !== state.step; });
    progress.textContent = `Exercise ${state.step + 1} of ${steps.length}`;
    markNext();
    save();
  }

  // --- the rest timer ---------------------------------------------------------------------------
  let audio = null;
  let tickTimer = null;
  const text = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

  function signal() {
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
    if (!audio) return;
    try {
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      volume.gain.value = 0.2;
      tone.frequency.value = 880;
      tone.connect(volume).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.3);
    } catch (error) { /* no sound here */ }
  }

  function showRest() {
    const remaining = Math.ceil((state.restEnds - Date.now()) / 1000);
    if (remaining <= 0) {
      if (!timer.hidden && state.restEnds) signal();
      timer.hidden = true;
      window.clearInterval(tickTimer);
      tickTimer = null;
      return;
    }
    timer.hidden = false;
    left.textContent = text(remaining);
  }

  function startRest(seconds) {
    state.restEnds = seconds > 0 ? Date.now() + seconds * 1000 : 0;
    save();
    window.clearInterval(tickTimer);
    tickTimer = null;
    timer.hidden = true;
    if (!state.restEnds) return;
    showRest();
    tickTimer = window.setInterval(showRest, 250);
  }

  root.querySelector("[data-rest-skip]").addEventListener("click", () => startRest(0));

  // --- ticking sets -----------------------------------------------------------------------------
  function values(row) {
    return Object.fromEntries(fields(row).map((input) => [input.name, input.value]));
  }

  function tick(row) {
    const index = row.dataset.index;
    if (state.done[index]) {  // a second tap unticks
      delete state.done[index];
      mark(row, false);
      markNext();
      save();
      return;
    }
    state.done[index] = values(row);
    mark(row, true);
    const rest = row.dataset.rest === "" ? Number(restChoice.value) : Number(row.dataset.rest);
    startRest(rest);
    const step = row.closest(".workout-step");
    const finished = [...step.querySelectorAll(".workout-set")].every((r) => state.done[r.dataset.index]);
    const at = steps.indexOf(step);
    if (finished && at < steps.length - 1) show(at + 1);
    else markNext();
    save();
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || !root.contains(button)) return;
    if (!audio && window.AudioContext) {
      try { audio = new AudioContext(); } catch (error) { audio = null; }
    }
    if (button.hasAttribute("data-tick")) tick(button.closest(".workout-set"));
    else if (button.dataset.go) show(state.step + Number(button.dataset.go));
    else if (button.dataset.stepBy) {
      const input = document.getElementById(button.getAttribute("aria-controls"));
      const value = Number.parseFloat((input.value || "0").replace(",", ".")) || 0;
      input.value = String(Math.max(0, Math.round((value + Number(button.dataset.stepBy)) * 100) / 100));
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });

  // A ticked set changed afterwards keeps its new values.
  root.addEventListener("input", (event) => {
    const row = event.target.closest(".workout-set");
    if (row && state.done[row.dataset.index]) {
      state.done[row.dataset.index] = values(row);
      save();
    }
  });

  // Finish sends only the sets ticked (the rest stay out of the log).
  form.addEventListener("submit", () => {
    rows.forEach((row) => {
      if (state.done[row.dataset.index]) return;
      row.querySelectorAll("input").forEach((input) => { input.disabled = true; });
    });
  });

  // --- the screen stays awake while the workout is open -------------------------------------------
  // The browser lets go of the lock when the page is hidden: it is asked for again on return.
  function stayAwake() {
    if (!navigator.wakeLock || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").catch(() => { /* refused (battery saver): the phone's own timeout */ });
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      stayAwake();
      showRest();
    }
  });

  // --- resume -----------------------------------------------------------------------------------
  rows.forEach((row) => {
    const kept = state.done[row.dataset.index];
    if (!kept) return;
    fields(row).forEach((input) => { if (input.name in kept) input.value = kept[input.name]; });
    mark(row, true);
  });
  root.querySelectorAll("[data-nav]").forEach((nav) => { nav.hidden = false; });
  const resumeAt = steps.findIndex((step) => [...step.querySelectorAll(".workout-set")].some((r) => !state.done[r.dataset.index]));
  show(resumeAt === -1 ? state.step : resumeAt);
  if (state.restEnds > Date.now()) {
    showRest();
    tickTimer = window.setInterval(showRest, 250);
  }
  stayAwake();  // where the browser has no Screen Wake Lock, the phone's own timeout applies
})();
