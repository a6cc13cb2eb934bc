// The prescription editor's rows without round trips (templates/library/_macros.html): one empty
// row always waits at the end, Enter goes to the next row, Ctrl/Cmd+Enter saves, rows move by
// drag, Alt+Arrow keys or their buttons, paste from a spreadsheet fills rows, and a quick entry
// ("Back Squat 5x5 @ 100kg") is split into its row's fields. The server does the same without
// JavaScript: these are shortcuts, never the only way.
(() => {
  const DOSE = ["sets", "reps", "load", "rpe", "time"];
  const FIELDS = ["exercise", "sets", "reps", "load", "load_unit", "rpe", "rest", "tempo", "time", "distance", "notes", "rounds"];
  // The same grammar as fitr/library/quick.py.
  const LOAD = String.raw`\d{1,4}(?:[.,]\d{1,2})?`, UNIT = String.raw`kg|lbs?|%\s*(?:1\s*RM|TM)?`, RPE = String.raw`\d{1,2}(?:[.,]\d)?`;
  const QUICK = new RegExp(String.raw`^(?:(?<label>[A-Z]{1,2}\d{1,2})\s+)?(?<name>.*?\S)\s+(?<sets>\d{1,2})\s*[x×]\s*` +
    String.raw`(?:(?<secs>\d{1,4})\s*s(?:ec)?|(?<reps>\d{1,3}(?:\s*[-–]\s*\d{1,3})?))` +
    String.raw`(?:\s*@\s*(?:RPE\s*(?<rpe>${RPE})|(?<load>${LOAD})\s*(?<unit>${UNIT})?)|\s+RPE\s*(?<rpe2>${RPE})|\s+(?<load2>${LOAD})\s*(?<unit2>${UNIT}))?\s*$`, "i");

  const listOf = (node) => node?.closest?.("[data-rows]");
  const rowsOf = (list) => [...list.querySelectorAll(":scope > [data-row]")];
  const field = (row, name) => row.querySelector(`[name$="-${name}"]`);
  const statusOf = (list) => list.parentElement.querySelector("[data-rows-status]");
  const say = (list, text) => {
    const status = statusOf(list);
    if (status) status.textContent = text;
  };

  const unitOf = (text) => {
    const unit = (text || "").replace(/\s+/g, "").toLowerCase();
    if (unit.startsWith("%")) return unit.endsWith("tm") ? "%tm" : "%1rm";
    if (unit.startsWith("lb")) return "lb";
    if (unit === "kg") return "kg";
    return null;
  };

  const quickSplit = (text) => {
    const m = QUICK.exec(text || "")?.groups;
    if (!m) return null;
    const fields = { sets: m.sets };
    if (m.secs) fields.time = m.secs;
    else fields.reps = m.reps.replace(/\s+/g, "").replace("–", "-");
    if (m.rpe || m.rpe2) fields.rpe = m.rpe || m.rpe2;
    const load = m.load || m.load2;
    if (load) {
      fields.load = load;
      const unit = unitOf(m.load ? m.unit : m.unit2);
      if (unit) fields.load_unit = unit;
    }
    return { name: m.name, fields, label: m.label?.toUpperCase() };
  };

  const isBlank = (row) => FIELDS.filter((name) => name !== "load_unit").every((name) => !(field(row, name)?.value || "").trim());

  const setField = (row, name, value) => {
    const input = field(row, name);
    if (!input || value === undefined) return;
    if (input.tagName === "SELECT") {
      const unit = unitOf(value) || value.toLowerCase();
      if ([...input.options].some((o) => o.value === unit)) input.value = unit;
    } else {
      input.value = value;
    }
    if (["time", "distance", "notes"].includes(name) && value) row.querySelector("details.row-more")?.setAttribute("open", "");
  };

  // A quick entry typed in Exercise goes into its fields, unless the coach filled them already.
  const splitQuick = (row) => {
    const exercise = field(row, "exercise");
    if (!exercise || DOSE.some((name) => (field(row, name)?.value || "").trim())) return;
    const quick = quickSplit(exercise.value);
    if (!quick) return;
    exercise.value = quick.name;
    Object.entries(quick.fields).forEach(([name, value]) => setField(row, name, value));
    // "A2 ..." after "A1 ...": the row joins the superset above.
    const letter = quick.label?.replace(/\d+$/, "");
    row.dataset.quickLetter = letter || "";
    const above = row.previousElementSibling;
    const joined = row.querySelector('[name$="-joined"]');
    if (letter && above?.dataset.quickLetter === letter && joined && !joined.checked) {
      joined.checked = true;
      const list = listOf(row);
      if (list) renumber(list);
    }
  };

  const swapNames = (root, i) => {
    const swap = (value) => value
      .replace(/prescriptions-(\d+|__N__)-/g, `prescriptions-${i}-`)
      .replace(/^measure-(\d+|__N__)$/, `measure-${i}`)
      .replace(/#measure-(\d+|__N__)\b/g, `#measure-${i}`)
      .replace(/^(up|down|remove)-(\d+|__N__)$/, `$1-${i}`)
      .replace(/exercise (\d+|__L__)/g, `exercise ${i + 1}`);
    [root, ...root.querySelectorAll("*")].forEach((node) => {
      for (const attr of ["id", "name", "for", "aria-describedby", "aria-labelledby", "aria-label", "hx-target", "hx-include", "data-for", "value"]) {
        if (attr === "value" && node.tagName !== "BUTTON") continue;
        const value = node.getAttribute(attr);
        if (value) node.setAttribute(attr, swap(value));
      }
      if (node.matches("button[name=row]")) node.value = String(i);
    });
  };
  // Names, ids and labels follow a row's place: prescriptions-N-..., "Sets N", up-N, A/B/C.
  const letter = (index) => {  // 0 -> A, 25 -> Z, 26 -> AA, as fitr/library/groups.py
    let text = "";
    for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) text = String.fromCharCode(65 + ((n - 1) % 26)) + text;
    return text;
  };
  const renumber = (list) => {
    const rows = rowsOf(list);
    let group = -1;
    let inGroup = 0;
    const tags = [];
    rows.forEach((row, i) => {
      const check = row.querySelector('input[name$="-joined"]');
      if (i === 0 && check) check.checked = false;  // the first row joins nothing
      const joined = i > 0 && isJoined(row);
      if (joined) inGroup += 1;
      else { group += 1; inGroup = 1; }
      tags.push([group, inGroup]);
    });
    rows.forEach((row, i) => {
      swapNames(row, i);
      row.querySelectorAll("[data-n]").forEach((n) => { n.textContent = String(i + 1); });
      const [g, n] = tags[i];
      const grouped = n > 1 || Boolean(tags[i + 1] && tags[i + 1][0] === g);
      let join = row.querySelector("[data-join]");
      if (!join && i > 0) {  // the first row has none: it joins nothing until it moves down
        join = list.parentElement.querySelector("template[data-row-template]")?.content.querySelector("[data-join]")?.cloneNode(true);
        if (join) {
          row.querySelector(".row-line").insertBefore(join, row.querySelector(".row-actions"));
          swapNames(join, i);
          showControls(join);
        }
      }
      if (join) join.hidden = i === 0;
      const toggle = row.querySelector("[data-join-toggle]");
      if (toggle) toggle.setAttribute("aria-pressed", String(isJoined(row)));
      const rounds = row.querySelector("[data-rounds]");
      if (rounds && !rounds.querySelector(".error")) rounds.hidden = !(grouped && n === 1);
      const tag = row.querySelector("[data-tag]");
      if (tag) tag.textContent = letter(g) + (grouped ? String(n) : "");
      const up = row.querySelector('[data-row-action="up"]');
      const down = row.querySelector('[data-row-action="down"]');
      if (up) up.hidden = i === 0;
      if (down) down.hidden = i === rows.length - 1;
    });
  };
  const isJoined = (row) => {
    const joined = row.querySelector('[name$="-joined"]');
    if (!joined) return false;
    return joined.type === "checkbox" ? joined.checked : joined.value === "y";
  };

  const maxOf = (list) => Number(list.dataset.max || 30);

  // A fresh empty row at the end, from the <template> (its numbers __N__ become this row's).
  const appendRow = (list) => {
    if (rowsOf(list).length >= maxOf(list)) return null;
    const template = list.parentElement.querySelector("template[data-row-template]");
    if (!template) return null;
    const row = template.content.firstElementChild.cloneNode(true);
    list.append(row);
    renumber(list);
    showControls(row);
    if (window.htmx) window.htmx.process(row);
    return row;
  };

  const ensureTrailingRow = (list) => {
    const rows = rowsOf(list);
    if (!rows.length || !isBlank(rows[rows.length - 1])) appendRow(list);
  };

  // With JavaScript a row joins a superset with one click on a toggle button, not a checkbox.
  const showControls = (root) => {
    root.querySelectorAll("[data-drag], [data-join-toggle]").forEach((node) => { node.hidden = false; });
    root.querySelectorAll("[data-join-check]").forEach((node) => { node.hidden = true; });
  };

  const setUp = (root) => {
    root.querySelectorAll("[data-rows]").forEach((list) => {
      if (list.dataset.ready) return;
      list.dataset.ready = "1";
      showControls(list);
      ensureTrailingRow(list);
    });
  };
  document.addEventListener("DOMContentLoaded", () => setUp(document));
  document.addEventListener("htmx:load", () => setUp(document));

  // Typing into the last row adds the next empty one.
  document.addEventListener("input", (event) => {
    const list = listOf(event.target);
    if (!list) return;
    const row = event.target.closest("[data-row]");
    const rows = rowsOf(list);
    if (row === rows[rows.length - 1] && !isBlank(row)) appendRow(list);
  });
  // The type-ahead's list goes once the field holds one of its names and the coach moved on.
  const settleMatches = (input) => {
    const matches = document.getElementById(`${input.id}-matches`);
    const name = input.value.trim().toLowerCase();
    const picked = [...(matches?.querySelectorAll("[data-pick-exercise]") || [])]
      .some((b) => b.dataset.pickExercise.toLowerCase() === name);
    if (picked && document.activeElement !== input) matches.replaceChildren();
  };
  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    if (!target?.matches?.(".exercise-matches") || !listOf(target)) return;
    const input = document.getElementById(target.id.replace(/-matches$/, ""));
    if (input) settleMatches(input);
  });
  document.addEventListener("change", (event) => {
    if (listOf(event.target) && event.target.name?.endsWith("-exercise")) {
      splitQuick(event.target.closest("[data-row]"));
      settleMatches(event.target);
    }
    if (listOf(event.target) && event.target.name?.endsWith("-joined")) renumber(listOf(event.target));
  });

  const focusField = (row, name) => {
    const input = field(row, name) || row.querySelector("input, select");
    input?.focus();
    return input;
  };

  const moveRow = (list, row, by, focusName) => {
    const rows = rowsOf(list);
    const from = rows.indexOf(row);
    const to = from + by;
    if (to < 0 || to >= rows.length) return;
    if (by < 0) list.insertBefore(row, rows[to]);
    else list.insertBefore(row, rows[to].nextSibling);
    moved(list, row, focusName);
  };
  const moved = (list, row, focus) => {
    renumber(list);
    const position = rowsOf(list).indexOf(row) + 1;
    const name = (field(row, "exercise")?.value || "").trim() || "The empty row";
    say(list, `${name} moved to position ${position}.`);
    if (typeof focus === "string") {
      const button = row.querySelector(`[data-row-action="${focus}"]`);
      const other = row.querySelector(`[data-row-action="${focus === "up" ? "down" : "up"}"]`);
      (button && !button.hidden ? button : other)?.focus();
    } else if (focus) {
      focus.focus();
    }
  };

  document.addEventListener("keydown", (event) => {
    const form = event.target.closest?.("form");
    const list = form?.querySelector("[data-rows]");
    if (!list) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      splitAll(list);
      const save = [...form.querySelectorAll('button[name="action"][value="save"]')].pop();
      form.requestSubmit(save);
      return;
    }
    const row = event.target.closest("[data-row]");
    if (!row || listOf(row) !== list) return;
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      moveRow(list, row, event.key === "ArrowUp" ? -1 : 1, event.target);
      return;
    }
    const typing = event.target.matches("input:not([type=checkbox]), select");
    if (event.key === "Enter" && typing && !event.shiftKey && !event.altKey) {
      event.preventDefault();  // Enter in a row never submits: it goes to the next exercise
      splitQuick(row);
      const rows = rowsOf(list);
      let next = rows[rows.indexOf(row) + 1];
      if (!next && !isBlank(row)) next = appendRow(list);
      if (next) focusField(next, "exercise");
      else [...form.querySelectorAll('button[name="action"][value="save"]')].pop()?.focus();
    }
  });
  const splitAll = (list) => rowsOf(list).forEach(splitQuick);
  document.addEventListener("submit", (event) => {
    const list = event.target.querySelector?.("[data-rows]");
    if (list) splitAll(list);
  }, true);

  document.addEventListener("click", (event) => {
    const toggle = event.target.closest("[data-join-toggle]");
    const list = listOf(toggle);
    if (!toggle || !list) return;
    const row = toggle.closest("[data-row]");
    const check = row.querySelector('input[name$="-joined"]');
    check.checked = !check.checked;
    renumber(list);
    const tag = row.querySelector("[data-tag]").textContent;
    say(list, check.checked ? `${tag}: in a superset with the exercise above.` : `${tag}: on its own.`);
  });

  // The row buttons, in place (the server does them when JavaScript does not run).
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-row-action], [data-add-row]");
    const list = button && (listOf(button) || button.parentElement.querySelector("[data-rows]"));
    if (!list) return;
    event.preventDefault();
    if (button.matches("[data-add-row]")) {
      const rows = rowsOf(list);
      const last = rows[rows.length - 1];
      const row = last && isBlank(last) ? last : appendRow(list);
      if (row) focusField(row, "exercise");
      else say(list, `A session holds at most ${maxOf(list)} exercises.`);
      return;
    }
    const row = button.closest("[data-row]");
    const action = button.dataset.rowAction;
    if (action === "remove") {
      const rows = rowsOf(list);
      const index = rows.indexOf(row);
      const name = (field(row, "exercise")?.value || "").trim();
      row.remove();
      renumber(list);
      ensureTrailingRow(list);
      const after = rowsOf(list);
      say(list, name ? `Removed ${name}.` : "Removed the row.");
      focusField(after[Math.min(index, after.length - 1)], "exercise");
    } else {
      moveRow(list, row, action === "up" ? -1 : 1, action);
    }
  });

  // Drag a row by its handle: pointer events, so a mouse, a pen and a finger all work.
  let drag = null;
  document.addEventListener("pointerdown", (event) => {
    const handle = event.target.closest?.("[data-drag]");
    const list = listOf(handle);
    if (!handle || !list) return;
    event.preventDefault();
    handle.setPointerCapture?.(event.pointerId);
    drag = { handle, list, row: handle.closest("[data-row]") };
    drag.row.classList.add("dragging");
  });
  document.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const { list, row } = drag;
    const others = rowsOf(list).filter((r) => r !== row);
    const before = others.find((r) => {
      const box = r.getBoundingClientRect();
      return event.clientY < box.top + box.height / 2;
    });
    if (before) { if (row.nextElementSibling !== before) list.insertBefore(row, before); }
    else if (list.lastElementChild !== row) list.append(row);
  });
  const drop = () => {
    if (!drag) return;
    const { list, row, handle } = drag;
    drag = null;
    row.classList.remove("dragging");
    moved(list, row, handle);
  };
  document.addEventListener("pointerup", drop);
  document.addEventListener("pointercancel", drop);

  // Alt+Arrow on the handle itself, and plain arrows there too (it is the row's "grip").
  document.addEventListener("keydown", (event) => {
    const handle = event.target.closest?.("[data-drag]");
    const list = listOf(handle);
    if (!handle || !list || event.altKey || !["ArrowUp", "ArrowDown"].includes(event.key)) return;
    event.preventDefault();
    moveRow(list, handle.closest("[data-row]"), event.key === "ArrowUp" ? -1 : 1, handle);
  });

  // Paste from a spreadsheet into an Exercise field: one row per line, from this row on.
  const HEADERS = ["exercise", "sets", "reps", "load", "unit", "rpe", "rest", "tempo", "notes"];
  const ORDER = ["exercise", "sets", "reps", "load", "unit", "rest", "tempo", "notes"];
  const LABEL = /^[A-Z]\d{0,2}$/i;
  document.addEventListener("paste", (event) => {
    const input = event.target;
    const list = listOf(input);
    if (!list || !input.name?.endsWith("-exercise")) return;
    const text = event.clipboardData?.getData("text/plain") || "";
    if (!text.includes("\t") && !text.trim().includes("\n")) return;
    event.preventDefault();
    let lines = text.replace(/\r/g, "").split("\n").filter((line) => line.trim()).map((line) => line.split("\t").map((c) => c.trim()));
    let columns = ORDER;
    const head = lines[0].map((c) => c.toLowerCase());
    const named = head.filter((c) => HEADERS.includes(c) || c === "label" || c === "");
    if (named.length === head.length && head.includes("exercise")) {
      columns = head.map((c) => (HEADERS.includes(c) ? c : "label"));
      lines = lines.slice(1);
    } else if (lines.every((cells) => cells.length > 1 && LABEL.test(cells[0]))) {
      columns = ["label", ...ORDER];
    }
    const rows = rowsOf(list);
    const start = rows.indexOf(input.closest("[data-row]"));
    const room = maxOf(list) - start;
    const taken = lines.slice(0, room);
    let previous = null;
    let last = null;
    taken.forEach((cells, k) => {
      const row = rowsOf(list)[start + k] || appendRow(list);
      const values = {};
      columns.forEach((column, c) => { values[column] = cells[c] ?? ""; });
      setField(row, "exercise", values.exercise);
      for (const name of ["sets", "reps", "load", "rpe", "rest", "tempo", "notes"]) if (name in values) setField(row, name, values[name]);
      if (values.unit) setField(row, "load_unit", values.unit);
      if (!("sets" in values) || !values.sets) splitQuick(row);
      const letter = (values.label || "").charAt(0).toUpperCase();
      const joined = row.querySelector('[name$="-joined"]');
      if (joined && joined.type === "checkbox") joined.checked = Boolean(letter && previous === letter && k > 0);
      previous = letter || null;
      last = row;
    });
    renumber(list);
    ensureTrailingRow(list);
    const left = lines.length - taken.length;
    say(list, left > 0
      ? `Filled ${taken.length} rows; ${left} left out: a session holds at most ${maxOf(list)} exercises.`
      : `Filled ${taken.length} rows from the paste.`);
    if (last) focusField(last, "exercise");
  });
})();
