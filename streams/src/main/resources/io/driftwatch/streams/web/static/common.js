// Shared helpers of the Driftwatch pages. Model text is untrusted: it only ever reaches the page as
// text nodes or attribute values set through the DOM, never as HTML; nothing here uses innerHTML.
"use strict";

const dw = {};

/** An element with properties and children; strings become text nodes. Event-handler attributes are refused. */
dw.h = function (tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null) continue;
    if (k.startsWith("on")) throw new Error("event handler attributes are not allowed: " + k);
    if (k === "className") e.className = v;
    else if (k === "text") e.textContent = String(v);
    else if (k === "title") e.title = String(v);
    else if (k === "href") e.setAttribute("href", dw.safeHref(v));
    else e.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
};

/** Only links within this site. */
dw.safeHref = function (href) {
  const s = String(href);
  return s.startsWith("/") && !s.startsWith("//") ? s : "#";
};

dw.replace = function (parent, ...children) {
  parent.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined));
};

dw.api = async function (path) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, cache: "no-store" });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.error || ("HTTP " + response.status));
    error.status = response.status;
    throw error;
  }
  return { body, headers: response.headers };
};

dw.generationHref = function (id) {
  return "/generation?id=" + encodeURIComponent(id);
};

dw.num = function (v, digits) {
  if (v === undefined || v === null || Number.isNaN(v)) return "–";
  if (Number.isInteger(v) && digits === undefined) return v.toLocaleString("en");
  return Number(v).toFixed(digits === undefined ? 2 : digits);
};

dw.ago = function (iso) {
  if (!iso) return "–";
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return Math.round(s) + " s ago";
  if (s < 3600) return Math.round(s / 60) + " min ago";
  return Math.round(s / 3600) + " h ago";
};

/** A table from column definitions {label, value(row) -> string|Node, num}; a message row when empty. */
dw.table = function (table, columns, rows, emptyText) {
  const head = dw.h("tr", {}, columns.map(c => dw.h("th", { className: c.num ? "num" : "" , text: c.label })));
  const body = rows.length === 0
    ? [dw.h("tr", {}, dw.h("td", { className: "empty", colspan: columns.length, text: emptyText }))]
    : rows.map(r => dw.h("tr", {}, columns.map(c => dw.h("td", { className: c.num ? "num" : "" }, c.value(r)))));
  dw.replace(table, dw.h("thead", {}, head), dw.h("tbody", {}, body));
};

dw.card = function (label, value) {
  return dw.h("div", { className: "card" }, dw.h("div", { className: "value", text: value }), dw.h("div", { className: "label", text: label }));
};

/** Shows or hides the page's problem banner. */
dw.problem = function (message) {
  const p = document.getElementById("problem");
  p.hidden = !message;
  p.textContent = message || "";
  const live = document.getElementById("live");
  if (live && !live.classList.contains("done")) live.classList.toggle("stale", !!message);
};

/** Colour scales: t in [0, 1]. Diverging blue-white-red, and white to a hue. */
dw.diverging = function (t) {
  t = Math.max(0, Math.min(1, t));
  const a = t < 0.5 ? [49, 104, 171] : [192, 57, 43];
  const f = Math.abs(t - 0.5) * 2;
  return "rgba(" + a[0] + "," + a[1] + "," + a[2] + "," + (0.75 * f).toFixed(3) + ")";
};
dw.sequential = function (t, rgb) {
  t = Math.max(0, Math.min(1, t));
  return "rgba(" + rgb.join(",") + "," + (0.8 * t).toFixed(3) + ")";
};

/**
 * The runbook entry (docs/runbook.md, served at /runbook) of each alert rule: the per-generation rules
 * of docs/scores.md, under the Prometheus alert that counts them. RunbookLinksTest checks that every
 * default rule has one and that each anchor is a heading of the runbook.
 */
dw.RUNBOOK = {
  loop: "DriftwatchGenerationLoops",
  verbatim_copy: "DriftwatchVerbatimCopies",
  topic_shift: "DriftwatchDriftAlertsHigh",
  neighbour_shift: "DriftwatchDriftAlertsHigh",
  entity_shift: "DriftwatchDriftAlertsHigh",
  drift_index_high: "DriftwatchDriftAlertsHigh",
  semantic_drift_index_high: "DriftwatchDriftAlertsHigh",
  referential_drift_high: "DriftwatchDriftAlertsHigh"
};

/** An alert's rule and state as a badge, linked to the rule's runbook entry when it has one. */
dw.ruleBadge = function (a) {
  const badge = dw.h("span", { className: "badge " + (a.state === "firing" ? "firing" : ""), text: a.rule + " " + a.state });
  const entry = Object.prototype.hasOwnProperty.call(dw.RUNBOOK, a.rule) ? dw.RUNBOOK[a.rule] : null;
  return entry ? dw.h("a", { className: "runbook-link", href: "/runbook#" + entry.toLowerCase(), title: "runbook: " + entry }, badge) : badge;
};

/** A small bar chart of a histogram, on a canvas. */
dw.histogram = function (canvas, counts, colour) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 120, hgt = canvas.clientHeight || 48;
  canvas.width = w * ratio; canvas.height = hgt * ratio;
  const g = canvas.getContext("2d");
  g.scale(ratio, ratio);
  g.clearRect(0, 0, w, hgt);
  const max = Math.max(1, ...counts);
  const bw = w / counts.length;
  g.fillStyle = colour;
  counts.forEach((c, i) => {
    const bh = (c / max) * (hgt - 2);
    g.fillRect(i * bw + 0.5, hgt - bh, Math.max(1, bw - 1), bh);
  });
  g.strokeStyle = "#dde3ea";
  g.beginPath(); g.moveTo(0, hgt - 0.5); g.lineTo(w, hgt - 0.5); g.stroke();
  canvas.dataset.total = String(counts.reduce((a, b) => a + b, 0));
};

/**
 * A loss curve of the live radius probe (docs/radius.md) as a chart: the loss of the measured tokens at
 * each probed context and the same tokens' loss at full context, on a log2 context axis. Labels are
 * fixed words: model text never reaches the chart library.
 */
dw.radiusChart = function (box, curve) {
  const data = [curve.contexts, curve.nll, curve.reference];
  const width = Math.max(300, box.clientWidth - 16);
  const chart = new uPlot({
    width, height: 180,
    scales: { x: { time: false, distr: 3, log: 2 } },
    axes: [{ label: "context (tokens)" }, { label: "nats/token" }],
    series: [{ label: "context" }, { label: "loss", stroke: "#c0392b", width: 1.5 }, { label: "at full context", stroke: "#1f3a5f", width: 1, dash: [4, 4] }]
  }, data, box);
  new ResizeObserver(() => chart.setSize({ width: Math.max(300, box.clientWidth - 16), height: 180 })).observe(box);
  return chart;
};

/** A radius curve's one-line summary: radius, gain, fit. */
dw.radiusText = function (curve, tolerance) {
  const gain = curve.nll[0] - curve.reference[0];
  const fit = curve.fit ? "; fit L(m) = " + dw.num(curve.fit.floor, 3) + " + " + dw.num(curve.fit.scale, 3) + "·m^−" + dw.num(curve.fit.exponent, 2)
    + " (R² " + dw.num(curve.fit.r_squared, 2) + ")" : "";
  return "radius " + dw.num(curve.radius) + " tokens (tolerance " + dw.num(tolerance, 3) + " nats/token); the shortest context costs "
    + dw.num(gain, 3) + " nats/token more than the full " + dw.num(curve.contexts[curve.contexts.length - 1]) + fit;
};
