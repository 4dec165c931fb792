// The live board: a WebSocket of snapshots and deltas, held back by the delay slider, drawn as a table.
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

function startLiveBoard(sessionId) {
  const cars = new Map();
  let session = {};
  let lastSeq = null;
  const pending = [];  // messages waiting for the delay to pass: [receivedAt, message]
  const delayInput = document.getElementById("delay");
  const view = document.getElementById("view");

  let clockAt = null;  // when the clock last came (local receipt time): it runs on from there

  function apply(message, receivedAt) {
    if (message.type === "snapshot" || message.type === "keyframe") {
      cars.clear();
      for (const row of message.board.cars) cars.set(row.car, Object.assign({}, row));
      session = Object.assign({}, message.board.session);
      clockAt = receivedAt;
    } else {
      for (const [car, changes] of Object.entries(message.cars)) {
        cars.set(car, Object.assign(cars.get(car) || { car: car }, changes));
      }
      Object.assign(session, message.session);
      if ("elapsed_ms" in message.session || "time_to_go_ms" in message.session) clockAt = receivedAt;
    }
  }

  function drawClock() {
    // Between updates the clock runs on (at most 30 s: a feed that went quiet is not guessed at), held
    // back by the delay like everything else; stopped under red and after the chequered flag.
    const delayMs = Number(delayInput.value) * 1000;
    const running = clockAt !== null && session.flag !== "finish" && session.flag !== "red" && session.elapsed_ms > 0;
    const since = running ? Math.max(0, Math.min(30000, Date.now() - delayMs - clockAt)) : 0;
    const togo = session.laps_to_go !== null && session.laps_to_go !== undefined
      ? session.laps_to_go + " laps to go"
      : (session.time_to_go_ms ? clockText(Math.max(0, session.time_to_go_ms - since)) + " to go" : "");
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

  function draw() {
    const flag = document.getElementById("flag");
    flag.textContent = session.flag || "—";
    flag.className = session.flag || "none";
    drawClock();
    const classes = [...new Set([...cars.values()].map(c => c.class).filter(Boolean))].sort();
    if (view.options.length !== classes.length + 1) {
      const chosen = view.value;
      view.innerHTML = '<option value="">Overall</option>' + classes.map(c => `<option>${c}</option>`).join("");
      view.value = chosen;
    }
    const only = view.value;
    const rows = [...cars.values()].filter(c => !only || c.class === only)
      .sort((a, b) => (only ? a.class_position - b.class_position : a.position - b.position));
    const tbody = document.getElementById("rows");
    tbody.innerHTML = "";
    for (const c of rows) {
      const tr = document.createElement("tr");
      tr.dataset.car = c.car;
      const marks = c.sector_marks || [];
      const sector = i => `<td class="num wide ${marks[i] || ""}">${fmt((c.sectors || [])[i])}</td>`;
      const flagCell = c.in_pit ? '<span class="pit">PIT</span>' : c.out_lap ? '<span class="out">OUT</span>'
        : c.stopped ? '<span class="stopped">STOP</span>' : (c.status && c.status !== "classified" ? c.status.toUpperCase() : "");
      tr.innerHTML = `<td class="pos">${only ? c.class_position : c.position}</td><td>${c.number || c.car}</td>` +
        `<td class="wide">${c.class || ""}</td><td>${c.team || ""}${c.driver ? "<br><small>" + c.driver + "</small>" : ""}</td>` +
        `<td class="num">${c.laps}</td><td class="num gap">${only ? c.class_gap : c.gap}</td>` +
        `<td class="num">${only ? c.class_interval : c.interval}</td><td class="num">${fmt(c.last_lap_ms)}</td>` +
        `<td class="num">${fmt(c.best_lap_ms)}</td>${sector(0)}${sector(1)}${sector(2)}` +
        `<td class="num wide">${c.stops || 0}</td><td class="marker">${flagCell}</td>`;
      tbody.appendChild(tr);
    }
  }

  function connect(backoff) {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const after = lastSeq === null ? "" : "?after=" + lastSeq;
    const ws = new WebSocket(`${proto}//${location.host}/ws/live/${encodeURIComponent(sessionId)}${after}`);
    const status = document.getElementById("status");
    ws.onopen = () => { status.textContent = "live"; backoff = 500; };
    ws.onmessage = event => {
      const message = JSON.parse(event.data);
      lastSeq = message.seq;
      pending.push([Date.now(), message]);
      drain();
    };
    ws.onclose = () => {
      status.textContent = "reconnecting…";
      setTimeout(() => connect(Math.min(backoff * 2, 10000)), backoff);
    };
  }

  delayInput.addEventListener("input", () => {
    document.getElementById("delay-out").textContent = delayInput.value + " s";
  });
  view.addEventListener("change", draw);
  setInterval(drain, 200);
  connect(500);
}
