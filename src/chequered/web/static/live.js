// The live board: a WebSocket of snapshots and deltas, held back by the delay slider, drawn as a table.
// Every name (team, driver, class, number) comes from files and feeds: it is set as text
// (textContent / createElement), never parsed as HTML. No inline script: the page's data-* attributes
// say which session to follow.
"use strict";

function fmt(ms) {
  if (ms === null || ms === undefined) return "";
  const neg = ms < 0; ms = Math.abs(ms);
  const h = Math.floor(ms / 3600000), m = Math.floor(ms / 60000) % 60, s = Math.floor(ms / 1000) % 60, f = ms % 1000;
  const ss = String(s).padStart(h || m ? 2 : 1, "0") + "." + String(f).padStart(3, "0");
  return (neg ? "-" : "") + (h ? h + ":" + String(m).padStart(2, "0") + ":" + ss : m ? m + ":" + ss : ss);
}

function clockText(ms) {
  const t = Math.floor(ms / 1000), two = n => String(n).padStart(2, "0");
  return Math.floor(t / 3600) + ":" + two(Math.floor(t / 60) % 60) + ":" + two(t % 60);
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// Only the best current sector time of each kind stays marked as such: a "session" mark is kept by the
// fastest car in that sector, a "class" mark by the fastest of its class; the others show as personal.
function bestMarks(cars) {
  const best = {};
  for (const c of cars) {
    (c.sector_marks || []).forEach((mark, i) => {
      const t = (c.sectors || [])[i];
      if (!t || (mark !== "session" && mark !== "class")) return;
      for (const key of [mark === "session" ? "s" + i : null, "c" + i + "|" + c.class]) {
        if (key && (!(key in best) || t < best[key])) best[key] = t;
      }
    });
  }
  const marks = new Map();
  for (const c of cars) {
    marks.set(c.car, (c.sector_marks || []).map((mark, i) => {
      const t = (c.sectors || [])[i];
      if (mark === "session") return t === best["s" + i] ? "session" : (t === best["c" + i + "|" + c.class] ? "class" : "personal");
      if (mark === "class") return t === best["c" + i + "|" + c.class] ? "class" : "personal";
      return mark || "";
    }));
  }
  return marks;
}

function startLiveBoard(board) {
  const sessionId = board.dataset.session;
  const text = JSON.parse(board.dataset.text || "{}");
  const tickerLength = Number(board.dataset.ticker);  // as many notes as a snapshot carries
  const t = key => text[key] || key;
  const cars = new Map();
  let session = {};
  let lastSeq = null;
  const pending = [];  // messages waiting for the delay to pass: [receivedAt, message]
  const ticker = [];   // race control: flags and decisions, as they were applied (so, delayed)
  const opened = new Set();
  const delayInput = document.getElementById("delay");
  const view = document.getElementById("view");
  let clockAt = null;

  function note(message) {
    ticker.unshift(message);
    ticker.length = Math.min(ticker.length, tickerLength);
  }

  const flagText = flag => t("Flag") + ": " + String(flag).toUpperCase();

  // A race control decision in words: "Car 7: +5 s · track limits" (shown as text, never as HTML).
  function decisionText(m) {
    if (m.kind === "flag") return flagText(m.flag);
    let what = "";
    if (m.kind === "time_penalty") what = "+" + (m.ms / 1000) + " s";
    else if (m.kind === "lap_deleted") what = t("lap {lap} deleted").replace("{lap}", m.lap);
    else if (m.kind === "lap_penalty") what = t("{laps} lap(s) deducted").replace("{laps}", m.laps);
    else if (m.kind === "status") what = t("status:" + m.status);
    return t("Car") + " " + (m.number || m.car) + ": " + what + (m.text ? " · " + m.text : "");
  }

  function apply(message, receivedAt) {
    if (message.type === "snapshot" || message.type === "keyframe") {
      cars.clear();
      for (const row of message.board.cars) cars.set(row.car, Object.assign({}, row));
      session = Object.assign({}, message.board.session);
      clockAt = receivedAt;
      ticker.length = 0;  // the board's own notes, oldest first: a fan who joins late reads them too
      for (const m of message.board.messages || []) note(decisionText(m));
    } else {
      for (const decision of message.messages || []) note(decisionText(decision));
      for (const [car, changes] of Object.entries(message.cars)) {
        const before = cars.get(car);
        cars.set(car, Object.assign(before || { car: car }, changes));
      }
      if (message.session.flag && message.session.flag !== session.flag) {
        note(flagText(message.session.flag));
      }
      Object.assign(session, message.session);
      if ("elapsed_ms" in message.session || "time_to_go_ms" in message.session) clockAt = receivedAt;
    }
  }

  function drawClock() {
    const delayMs = Number(delayInput.value) * 1000;
    const running = clockAt !== null && session.flag !== "finish" && session.flag !== "red" && session.elapsed_ms > 0;
    const since = running ? Math.max(0, Math.min(30000, Date.now() - delayMs - clockAt)) : 0;
    const togo = session.laps_to_go !== null && session.laps_to_go !== undefined
      ? session.laps_to_go + " " + t("laps to go")
      : (session.time_to_go_ms ? clockText(Math.max(0, session.time_to_go_ms - since)) + " " + t("to go") : "");
    document.getElementById("clock").textContent =
      clockText((session.elapsed_ms || 0) + since) + (togo ? " · " + togo : "");
  }

  function drain() {
    const delayMs = Number(delayInput.value) * 1000;
    const now = Date.now();
    let changed = false;
    while (pending.length && now - pending[0][0] >= delayMs) {
      const [receivedAt, message] = pending.shift();
      apply(message, receivedAt);
      changed = true;
    }
    if (changed) draw();
    else drawClock();
  }

  function cell(tr, className, value) {
    const td = el("td", className, value);
    tr.appendChild(td);
    return td;
  }

  function draw() {
    const flag = document.getElementById("flag");
    flag.textContent = session.flag ? t(session.flag) : "—";
    flag.className = session.flag || "none";
    document.getElementById("finish").hidden = session.flag !== "finish";
    drawClock();
    const started = [...cars.values()].some(c => c.laps > 0) || (session.elapsed_ms || 0) > 0;
    document.getElementById("not-started").hidden = started;
    document.getElementById("board").hidden = !started;
    const classes = [...new Set([...cars.values()].map(c => c.class).filter(Boolean))].sort();
    if (view.options.length !== classes.length + 1) {
      const chosen = view.value;
      while (view.options.length > 1) view.remove(1);
      for (const c of classes) view.appendChild(el("option", "", c));
      view.value = chosen;
    }
    const tickerList = document.getElementById("ticker");
    tickerList.replaceChildren(...ticker.slice(0, 5).map(m => el("li", "", m)));
    const only = view.value;
    const rows = [...cars.values()].filter(c => !only || c.class === only)
      .sort((a, b) => (only ? a.class_position - b.class_position : a.position - b.position));
    const marks = bestMarks([...cars.values()]);
    const tbody = document.getElementById("rows");
    const fragment = document.createDocumentFragment();
    for (const c of rows) {
      const tr = el("tr");
      tr.dataset.car = c.car;
      tr.tabIndex = 0;
      cell(tr, "pos", only ? c.class_position : c.position);
      cell(tr, "", c.number || c.car);
      const cpos = cell(tr, "cpos");
      cpos.appendChild(el("span", "cls", (c.class || "") + " "));
      cpos.appendChild(document.createTextNode(String(c.class_position || "")));
      const who = cell(tr, "who");
      who.appendChild(el("span", "driver", c.driver || ""));
      who.appendChild(el("small", "team wide", c.team || ""));
      cell(tr, "num wide", c.laps);
      cell(tr, "num gap", only ? c.class_gap : c.gap);
      cell(tr, "num wide", only ? c.class_interval : c.interval);
      cell(tr, "num", fmt(c.last_lap_ms));
      cell(tr, "num wide", fmt(c.best_lap_ms));
      const carMarks = marks.get(c.car) || [];
      for (let i = 0; i < 3; i++) cell(tr, "num wide " + (carMarks[i] || ""), fmt((c.sectors || [])[i]));
      cell(tr, "num wide", c.stops || 0);
      const marker = cell(tr, "marker");
      if (c.in_pit) marker.appendChild(el("span", "pit", t("PIT")));
      else if (c.out_lap) marker.appendChild(el("span", "out", t("OUT")));
      else if (c.stopped) marker.appendChild(el("span", "stopped", t("STOP")));
      else if (c.status && c.status !== "classified") marker.textContent = String(c.status).toUpperCase();
      fragment.appendChild(tr);
      if (opened.has(c.car)) {
        const more = el("tr", "more");
        const td = el("td");
        td.colSpan = 15;
        const parts = [
          [t("Team"), c.team], [t("Laps"), c.laps], [t("Int"), only ? c.class_interval : c.interval],
          [t("Best"), fmt(c.best_lap_ms)], ["S1", fmt((c.sectors || [])[0])], ["S2", fmt((c.sectors || [])[1])],
          ["S3", fmt((c.sectors || [])[2])], [t("Stops"), c.stops || 0],
        ];
        for (const [label, value] of parts) {
          const item = el("span", "kv");
          item.appendChild(el("b", "", label + " "));
          item.appendChild(document.createTextNode(String(value === undefined || value === null ? "" : value)));
          td.appendChild(item);
        }
        more.appendChild(td);
        fragment.appendChild(more);
      }
    }
    tbody.replaceChildren(fragment);
  }

  function toggle(event) {
    const tr = event.target.closest("tr[data-car]");
    if (!tr) return;
    if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
    const car = tr.dataset.car;
    if (opened.has(car)) opened.delete(car); else opened.add(car);
    draw();
  }

  function connect(backoff) {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const after = lastSeq === null ? "" : "?after=" + lastSeq;
    const ws = new WebSocket(`${proto}//${location.host}/ws/live/${encodeURIComponent(sessionId)}${after}`);
    const status = document.getElementById("status");
    ws.onopen = () => { status.textContent = t("live"); backoff = 500; };
    ws.onmessage = event => {
      const message = JSON.parse(event.data);
      lastSeq = message.seq;
      pending.push([Date.now(), message]);
      drain();
    };
    ws.onclose = () => {
      status.textContent = t("reconnecting…");
      setTimeout(() => connect(Math.min(backoff * 2, 10000)), backoff);
    };
  }

  delayInput.addEventListener("input", () => {
    document.getElementById("delay-out").textContent = delayInput.value + " s";
  });
  view.addEventListener("change", draw);
  document.getElementById("rows").addEventListener("click", toggle);
  document.getElementById("rows").addEventListener("keydown", toggle);
  setInterval(drain, 200);
  connect(500);
}

document.addEventListener("DOMContentLoaded", () => {
  const board = document.getElementById("live");
  if (board) startLiveBoard(board);
});
