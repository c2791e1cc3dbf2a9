// One generation: its tokens coloured by a score, verbatim spans outlined, alert markers, and the
// score timelines. Polls /api/generations/{id} every second until the generation has closed.
"use strict";

const id = new URLSearchParams(location.search).get("id") || "";

/** How each colour-by choice maps a value to a colour. */
const SCALES = {
  topic_shift: { min: 0, max: 1, kind: "sequential", rgb: [192, 57, 43], legend: ["0 one topic", "", "1 shifted"] },
  neighbour_shift: { min: 0, max: 4, kind: "sequential", rgb: [148, 49, 38], legend: ["0 as by chance", "", "4+ split in two"] },
  entity_shift: { min: 0, max: 1, kind: "sequential", rgb: [214, 137, 16], legend: ["0 same cast", "", "1 replaced"] },
  drift_index: { min: -1, max: 1, kind: "diverging", legend: ["−1 committed", "0", "+1 drifting"] },
  semantic_drift_index: { min: -1, max: 1, kind: "diverging", legend: ["−1 committed", "0", "+1 drifting"] },
  global_commitment: { min: 0, max: 1, kind: "diverging", reverse: true, legend: ["1 on topic", "0.5", "0 moved away"] },
  referential_drift: { min: 0, max: 1, kind: "sequential", rgb: [214, 137, 16], legend: ["0 same referents", "", "1 new referents"] },
  surprisal: { min: 0, max: 8, kind: "sequential", rgb: [230, 110, 20], legend: ["0 nats", "", "8+ nats (unsure)"] },
  coverage: { min: 0, max: 1, kind: "sequential", rgb: [123, 63, 160], legend: ["not found", "", "inside a verbatim span"] }
};

const CHARTS = [
  { title: "Coherence and commitment (lexical)", series: [
    ["local_coherence", "#1f7a8c"], ["global_commitment", "#2e7d32"], ["drift_index", "#c0392b"], ["referential_drift", "#d68910"]] },
  { title: "Semantic (sentence embeddings)", series: [
    ["semantic_local_coherence", "#1f7a8c"], ["semantic_global_commitment", "#2e7d32"], ["semantic_drift_index", "#8e44ad"]] },
  { title: "Change points (where the topic or the cast shifted)", series: [["topic_shift", "#c0392b"], ["entity_shift", "#d68910"]] },
  // Its own chart: it counts neighbour links in excess of chance, on a scale unlike the two above.
  { title: "Neighbour shift (same-side neighbour links over chance)", series: [["neighbour_shift", "#943126"]] },
  { title: "Coherence radius (tokens)", series: [["coherence_radius", "#1f3a5f"], ["sentence_coherence_radius", "#9fb3c8"]] },
  { title: "Degeneration and attribution", series: [
    ["repetition_rate", "#a04000"], ["coverage_12", "#7b3fa0"], ["surprisal_mean", "#e66e14"]] }
];

let latest = null;
let latestServedBy = null;
let renderedKey = "";
const charts = new Map();

function colourFor(scale, value) {
  if (value === undefined || value === null || Number.isNaN(value)) return "";
  let t = (value - scale.min) / (scale.max - scale.min);
  if (scale.reverse) t = 1 - t;
  return scale.kind === "diverging" ? dw.diverging(t) : dw.sequential(t, scale.rgb);
}

/** For each token seq, the latest sentence record that covers it. */
function sentenceIndex(scores) {
  const sentences = scores.filter(s => s.kind === "sentence").sort((a, b) => a.first_seq - b.first_seq);
  return seq => {
    let lo = 0, hi = sentences.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = sentences[mid];
      if (seq < s.first_seq) hi = mid - 1;
      else if (seq > s.last_seq) lo = mid + 1;
      else return s;
    }
    return null;
  };
}

function covering(ranges, seq) {
  return ranges.filter(r => r.first <= seq && seq <= r.last);
}

/** What the tap's guard did, in words; shown as text, never as markup. */
function guardText(guard) {
  const what = guard.action === "stopped" ? "stopped by " : guard.action === "dry_run" ? "would have been stopped (dry run) by "
    : "tripped after the end (" + guard.action + "): ";
  const parts = [guard.path + " path"];
  if (guard.tokens_after != null) parts.push(guard.tokens_after + (guard.tokens_after === 1 ? " token" : " tokens") + " after the trip");
  if (guard.max_tokens_left != null) parts.push(guard.max_tokens_left + " of max_tokens left");
  return what + guard.rule + " at token " + guard.seq + " (" + parts.join(", ") + ")";
}

function renderMeta(g, servedBy, shed) {
  const rows = [["generation", g.generation_id], ["model", g.model || "–"], ["run", g.run_id || "–"],
    ["status", g.status + (g.close_reason ? " (" + g.close_reason + ")" : g.finish_reason ? " (finish: " + g.finish_reason + ")" : "")],
    ["started", g.start_time || "–"], ["prompt", g.prompt || "–"]];
  if (g.guard) rows.splice(4, 0, ["guard", guardText(g.guard)]);
  // A shed generation has no semantic charts; say why, so that their absence does not read as a fault.
  if (shed) rows.splice(4, 0, ["semantic scores", "shed: the model was behind when this generation started, so it has none; "
    + "its other scores and alerts are complete (docs/scores.md, Load shedding)"]);
  for (const [k, v] of Object.entries(g.attributes || {})) rows.push([k, v]);
  dw.replace(document.getElementById("meta"), rows.flatMap(([k, v]) =>
    [dw.h("div", { className: "k", text: k }), dw.h("div", { className: k === "prompt" ? "prompt" : "", text: v })]));
  document.getElementById("served-by").textContent = servedBy ? "served by " + servedBy : "";
  const s = g.scores || {};
  dw.replace(document.getElementById("latest"),
    dw.card("tokens", dw.num(g.tokens)), dw.card("sentences", dw.num(g.sentences)),
    dw.card("drift index", dw.num(s.drift_index)), dw.card("semantic drift", dw.num(s.semantic_drift_index)),
    dw.card("commitment", dw.num(s.global_commitment)), dw.card("referential drift", dw.num(s.referential_drift)),
    dw.card("radius (tokens)", dw.num(s.coherence_radius, 0)), dw.card("verbatim cov12", dw.num(s.coverage_12)),
    dw.card("alerts firing", dw.num(g.alerts_firing)));
}

/**
 * The mosaic of the closed verbatim spans from the latest scores (docs/attribution.md, "The mosaic"):
 * how many, how long, how much of the text, from how many documents and how often the source changes.
 * Hidden without a reference index (no attribution scores). Values go in as text.
 */
function renderSpanMosaic(g) {
  const s = g.scores || {};
  const box = document.getElementById("span-mosaic");
  box.hidden = s.verbatim_spans === undefined;
  if (box.hidden) return;
  dw.replace(box,
    dw.card("spans", dw.num(s.verbatim_spans)), dw.card("median words", dw.num(s.span_length_median, 0)),
    dw.card("p90 words", dw.num(s.span_length_p90, 0)), dw.card("longest words", dw.num(s.longest_verbatim_span, 0)),
    dw.card("words covered", dw.num(s.coverage_5)), dw.card("source documents", dw.num(s.source_documents)),
    dw.card("source switch rate", dw.num(s.source_switch_rate)));
}

function renderLegend(scale) {
  const canvas = dw.h("canvas", {});
  dw.replace(document.getElementById("legend"), dw.h("span", { text: scale.legend[0] }), canvas, dw.h("span", { text: scale.legend[2] }));
  requestAnimationFrame(() => {
    canvas.width = 240; canvas.height = 12;
    const g = canvas.getContext("2d");
    for (let x = 0; x < 240; x++) {
      g.fillStyle = colourFor(scale, scale.min + (x / 239) * (scale.max - scale.min)) || "#fff";
      g.fillRect(x, 0, 1, 12);
    }
  });
}

function renderMosaic(view) {
  const choice = document.getElementById("colour-by").value;
  const scale = SCALES[choice];
  renderLegend(scale);
  const sentenceAt = sentenceIndex(view.scores);
  const spans = view.spans.map(s => ({ first: s.first_seq < 0 ? s.last_seq : s.first_seq, last: s.last_seq, span: s }));
  const alerts = view.alerts.filter(a => a.state === "firing").map(a => ({ first: a.first_seq, last: a.last_seq, alert: a }));
  const mosaic = document.getElementById("mosaic");
  const atBottom = mosaic.scrollTop + mosaic.clientHeight >= mosaic.scrollHeight - 4;
  const out = [];
  for (const t of view.tokens) {
    for (const a of alerts.filter(a => a.first === t.seq)) {
      out.push(dw.h("span", { className: "alert-marker", title: alertText(a.alert), text: "⚠ " + a.alert.rule }));
    }
    const inSpans = covering(spans, t.seq);
    let value;
    if (choice === "surprisal") value = t.surprisal;
    else if (choice === "coverage") value = inSpans.length ? 1 : 0;
    else { const s = sentenceAt(t.seq); value = s ? s.scores[choice] : undefined; }
    const classes = ["tok"];
    if (inSpans.length) classes.push(inSpans.some(s => s.first === t.seq) ? "span-start" : "in-span");
    if (covering(alerts, t.seq).length) classes.push("alerted");
    const title = ["token " + t.seq, choice + " " + dw.num(value)];
    for (const s of inSpans) title.push(spanText(s.span));
    const e = dw.h("span", { className: classes.join(" "), "data-seq": t.seq, title: title.join("\n"), text: t.text });
    const colour = colourFor(scale, value);
    if (colour) e.style.backgroundColor = colour;
    out.push(e);
  }
  if (view.generation.stored_tokens < view.generation.tokens) {
    out.push(dw.h("div", { className: "muted", text: "… " + (view.generation.tokens - view.generation.stored_tokens)
      + " more tokens are counted but not kept for this view (docs/web.md, limits)" }));
  }
  if (out.length === 0) out.push(dw.h("span", { className: "muted", text: "No tokens yet." }));
  dw.replace(mosaic, out);
  if (atBottom) mosaic.scrollTop = mosaic.scrollHeight;
}

function spanText(s) {
  const where = (s.sources || []).map(src => src.document + " @ word " + src.offset).join("; ");
  return "verbatim span of " + s.length + " words, " + s.occurrences + "× in the reference: " + (where || "–");
}

function alertText(a) {
  return a.rule + " " + a.state + ": " + a.score + " = " + dw.num(a.value) + " (fires at " + dw.num(a.fire_at) + ") over tokens "
    + a.first_seq + "–" + a.last_seq + (a.sources && a.sources.length ? "; from " + a.sources.map(s => s.document).join(", ") : "");
}

function renderCharts(view) {
  const sentences = view.scores.filter(s => s.kind === "sentence");
  const container = document.getElementById("charts");
  for (const def of CHARTS) {
    const present = def.series.filter(([name]) => sentences.some(s => s.scores[name] !== undefined));
    if (present.length === 0) continue;
    const data = [sentences.map(s => s.last_seq)];
    for (const [name] of present) data.push(sentences.map(s => s.scores[name] ?? null));
    const key = def.title + present.map(p => p[0]).join();
    let chart = charts.get(key);
    if (!chart) {
      const box = dw.h("div", { className: "chart", "data-chart": def.title }, dw.h("h3", { text: def.title }));
      container.appendChild(box);
      const width = Math.max(380, box.clientWidth - 16);
      chart = new uPlot({
        width, height: 200,
        scales: { x: { time: false } },
        axes: [{ label: "token" }, {}],
        series: [{ label: "token" }, ...present.map(([name, colour]) => ({ label: name, stroke: colour, width: 1.5, spanGaps: true }))]
      }, data, box);
      charts.set(key, chart);
      // The grid settles its column widths after the first layout; follow them.
      new ResizeObserver(() => chart.setSize({ width: Math.max(300, box.clientWidth - 16), height: 200 })).observe(box);
    } else {
      chart.setData(data);
    }
  }
  container.dataset.points = String(sentences.length);
}

function renderTables(view) {
  dw.table(document.getElementById("alerts"), [
    { label: "rule", value: a => dw.ruleBadge(a) },
    { label: "value", num: true, value: a => dw.num(a.value) },
    { label: "tokens", value: a => a.first_seq + "–" + a.last_seq },
    { label: "sources", value: a => (a.sources || []).map(s => s.document + " @ " + s.offset).join("; ") || "–" }
  ], view.alerts, "No alerts.");
  dw.table(document.getElementById("spans"), [
    { label: "words", num: true, value: s => dw.num(s.length) },
    { label: "tokens", value: s => s.first_seq + "–" + s.last_seq },
    { label: "source", value: s => (s.sources || []).map(src => src.document + " @ word " + src.offset).join("; ") || "–" }
  ], view.spans, "No verbatim spans.");
}

function render(view, servedBy) {
  renderMeta(view.generation, servedBy, view.scores.some(r => (r.flags || []).includes("semantic_shed")));
  renderSpanMosaic(view.generation);
  const key = [view.tokens.length, view.scores.length, view.alerts.length, view.spans.length,
    document.getElementById("colour-by").value].join("/");
  if (key !== renderedKey) {
    renderMosaic(view);
    renderTables(view);
    renderCharts(view);
    renderedKey = key;
  }
  document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);
  document.body.dataset.status = view.generation.status;
}

/** The live probe's curve of this generation, once it has one; asked a while after the generation closed. */
let radiusTries = 0;
let radiusTimer = null;
async function refreshRadius() {
  radiusTries++;
  const box = document.getElementById("radius");
  try {
    const { body } = await dw.api("/api/radius/" + encodeURIComponent(id));
    clearInterval(radiusTimer);
    const summary = latest ? latest.scores.filter(s => s.kind === "summary").pop() : null;
    const embedding = summary ? summary.scores.coherence_radius : undefined;
    const chartBox = dw.h("div", { className: "chart" });
    dw.replace(box, dw.h("p", { text: dw.radiusText(body, body.tolerance) }),
      dw.h("p", { className: "muted", text: "embedding-based coherence_radius at close: " + dw.num(embedding) + " tokens; probed as model "
        + body.model + " on " + dw.num(body.target_tokens) + " tokens" }), chartBox);
    dw.radiusChart(chartBox, body);
    box.dataset.radius = String(body.radius);
  } catch (e) {
    if (radiusTries >= 40) clearInterval(radiusTimer);
    dw.replace(box, dw.h("p", { className: "muted", text: e.status === 404 ? e.message : "Cannot load the radius: " + e.message }));
  }
}

let timer = null;
async function refresh() {
  try {
    const { body, headers } = await dw.api("/api/generations/" + encodeURIComponent(id));
    latest = body;
    latestServedBy = headers.get("X-Driftwatch-Served-By");
    dw.problem(null);
    render(body, headers.get("X-Driftwatch-Served-By"));
    if (body.generation.status === "closed") {
      clearInterval(timer);
      const live = document.getElementById("live");
      live.textContent = "closed";
      live.classList.add("done");
      if (!radiusTimer) {
        refreshRadius();
        radiusTimer = setInterval(refreshRadius, 3000);
      }
    }
  } catch (e) {
    dw.problem(e.status === 404 ? "No generation \"" + id + "\" (not started yet, or its view has expired); retrying."
      : "Cannot load this generation: " + e.message + " (retrying)");
  }
}

document.title = "Driftwatch · " + id;
document.getElementById("json-link").setAttribute("href", "/api/generations/" + encodeURIComponent(id));
document.getElementById("json-link").textContent = "/api/generations/" + id;
document.getElementById("colour-by").addEventListener("change", () => { if (latest) { renderedKey = ""; render(latest, latestServedBy); } });
refresh();
timer = setInterval(refresh, 1000);
