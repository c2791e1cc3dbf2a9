// The runs overview: polls /api/overview every second and redraws.
"use strict";

const HIST_COLOURS = {
  topic_shift: "#c0392b", neighbour_shift: "#943126", entity_shift: "#d68910",
  drift_index: "#c0392b", semantic_drift_index: "#8e44ad", global_commitment: "#1f7a8c",
  referential_drift: "#d68910", coverage_12: "#7b3fa0"
};
const HIST_NAMES = {
  topic_shift: "topic shift", neighbour_shift: "neighbour shift", entity_shift: "entity shift (0…1)",
  drift_index: "drift index (−1…1)", semantic_drift_index: "semantic drift (−1…1)", global_commitment: "commitment (0…1)",
  referential_drift: "referential drift (0…1)", coverage_12: "verbatim coverage (0…1)"
};

function scenarioOf(g) {
  return g.attributes && (g.attributes.scenario || g.attributes.label) || "";
}

function renderTotals(t) {
  dw.replace(document.getElementById("totals"),
    dw.card("generations", dw.num(t.generations)), dw.card("streaming now", dw.num(t.open)),
    dw.card("closed", dw.num(t.closed)), dw.card("tokens", dw.num(t.tokens)), dw.card("alert events", dw.num(t.alerts)));
}

function renderRuns(runs) {
  const container = document.getElementById("runs");
  if (runs.length === 0) {
    dw.replace(container, dw.h("p", { className: "muted", text: "No generations yet. Start a producer, or run: driftwatch demo" }));
    return;
  }
  const cards = runs.map(r => {
    const hists = Object.keys(HIST_NAMES).filter(s => r.distributions[s]).map(s => {
      const canvas = dw.h("canvas", { "data-score": s });
      const h = r.distributions[s];
      const total = h.counts.reduce((a, b) => a + b, 0);
      const width = (h.max - h.min) / h.counts.length;
      // Counts per bin on hover; the value axis and the tallest bar's count under the bars.
      const bins = h.counts.map((c, i) => dw.num(h.min + i * width, 2) + "…" + dw.num(h.min + (i + 1) * width, 2) + ": " + c).join("\n");
      const box = dw.h("div", { className: "hist", title: HIST_NAMES[s] + ", " + total + " generations\n" + bins },
        dw.h("div", { className: "name", text: HIST_NAMES[s] + " · n=" + total }), canvas,
        dw.h("div", { className: "axis" }, dw.h("span", { text: dw.num(h.min, 2) }),
          dw.h("span", { text: "peak " + Math.max(...h.counts) }), dw.h("span", { text: dw.num(h.max, 2) })));
      requestAnimationFrame(() => dw.histogram(canvas, h.counts, HIST_COLOURS[s]));
      return box;
    });
    return dw.h("div", { className: "run" },
      dw.h("h3", {}, r.model || "(unknown model)", dw.h("span", { className: "muted", text: "  run " + (r.run_id || "–") })),
      dw.h("div", { className: "counts", text:
        dw.num(r.generations) + " generations (" + dw.num(r.open) + " open) · " + dw.num(r.tokens) + " tokens · "
        + dw.num(r.alerts) + " alert events, " + dw.num(r.alerts_firing) + " firing" }),
      dw.h("div", { className: "hists" }, hists));
  });
  dw.replace(container, cards);
}

const generationColumns = [
  { label: "generation", value: g => dw.h("a", { href: dw.generationHref(g.generation_id), text: g.generation_id }) },
  { label: "model", value: g => g.model || "–" },
  { label: "scenario", value: g => scenarioOf(g) || "–" },
  { label: "status", value: g => dw.h("span", { className: "badge " + g.status, text: g.status }) },
  { label: "tokens", num: true, value: g => dw.num(g.tokens) },
  { label: "drift idx", num: true, value: g => dw.num(g.scores.drift_index) },
  { label: "sem drift", num: true, value: g => dw.num(g.scores.semantic_drift_index) },
  { label: "commitment", num: true, value: g => dw.num(g.scores.global_commitment) },
  { label: "cov12", num: true, value: g => dw.num(g.scores.coverage_12) },
  { label: "alerts", num: true, value: g => g.alerts_firing > 0
      ? dw.h("span", { className: "badge firing", text: g.alerts_firing + " firing" }) : dw.num(g.alerts) },
  { label: "last event", value: g => dw.ago(g.last_event_time) }
];

const alertColumns = [
  { label: "time", value: a => dw.ago(a.event_time) },
  { label: "rule", value: a => dw.ruleBadge(a) },
  { label: "value", num: true, value: a => dw.num(a.value) },
  { label: "generation", value: a => dw.h("a", { href: dw.generationHref(a.generation_id), text: a.generation_id }) },
  { label: "model", value: a => a.model || "–" },
  { label: "tokens", value: a => a.first_seq + "–" + a.last_seq }
];

// Filters: chosen in the form, applied on every redraw; the choices are the values in the latest data.
const FILTERS = { model: "f-model", run: "f-run", scenario: "f-scenario", rule: "f-rule" };
let latest = null;

function chosen() {
  const f = {};
  for (const [key, id] of Object.entries(FILTERS)) f[key] = document.getElementById(id).value;
  f.search = document.getElementById("search").value.trim();
  f.window = Number(document.getElementById("f-window").value || 0);
  return f;
}

function recentEnough(iso, f) {
  return !f.window || (iso && Date.now() - Date.parse(iso) <= f.window * 1000);
}

function generationMatches(g, f) {
  return (!f.model || g.model === f.model) && (!f.run || g.run_id === f.run) && (!f.scenario || scenarioOf(g) === f.scenario)
    && (!f.rule || (g.recent_alerts || []).some(a => a.rule === f.rule)) && (!f.search || g.generation_id.includes(f.search))
    && recentEnough(g.last_event_time, f);
}

function alertMatches(a, f) {
  return (!f.model || a.model === f.model) && (!f.run || a.run_id === f.run) && (!f.rule || a.rule === f.rule)
    && (!f.search || a.generation_id.includes(f.search)) && recentEnough(a.event_time, f);
}

/** Keeps a select's options to the values present (and the one chosen, so a choice never vanishes). */
function fillSelect(id, values) {
  const select = document.getElementById(id);
  const current = select.value;
  const all = [...new Set(values.filter(v => v))].sort();
  if (current && !all.includes(current)) all.push(current);
  const now = [...select.options].slice(1).map(o => o.value);
  if (now.join("\u0000") === all.join("\u0000")) return;
  dw.replace(select, dw.h("option", { value: "", text: "all" }), all.map(v => dw.h("option", { value: v, text: v })));
  select.value = current;
}

function render() {
  const body = latest;
  if (!body) return;
  const generations = body.active.concat(body.recent);
  fillSelect("f-model", body.runs.map(r => r.model).concat(generations.map(g => g.model)));
  fillSelect("f-run", body.runs.map(r => r.run_id).concat(generations.map(g => g.run_id)));
  fillSelect("f-scenario", generations.map(scenarioOf));
  fillSelect("f-rule", body.recent_alerts.map(a => a.rule));
  const f = chosen();
  const active = body.active.filter(g => generationMatches(g, f));
  const recent = body.recent.filter(g => generationMatches(g, f));
  const alerts = body.recent_alerts.filter(a => alertMatches(a, f));
  renderRuns(body.runs.filter(r => (!f.model || r.model === f.model) && (!f.run || r.run_id === f.run)));
  dw.table(document.getElementById("active"), generationColumns, active, "Nothing is generating right now" + (filtering(f) ? " that matches." : "."));
  dw.table(document.getElementById("alerts"), alertColumns, alerts, "No alerts" + (filtering(f) ? " that match." : "."));
  dw.table(document.getElementById("recent"), generationColumns, recent, "No generation has closed yet" + (filtering(f) ? " that matches." : "."));
  document.getElementById("shown").textContent = filtering(f)
    ? "showing " + (active.length + recent.length) + " of " + generations.length + " generations, " + alerts.length + " of "
      + body.recent_alerts.length + " alerts"
    : "";
}

function filtering(f) {
  return Boolean(f.model || f.run || f.scenario || f.rule || f.search || f.window);
}

for (const id of Object.values(FILTERS).concat(["f-window"])) document.getElementById(id).addEventListener("change", render);
document.getElementById("search").addEventListener("input", render);
// Enter opens the generation: the one listed with that id, else the id as typed (its page says when it is unknown).
document.getElementById("filters").addEventListener("submit", e => {
  e.preventDefault();
  const id = document.getElementById("search").value.trim();
  if (id) location.href = dw.generationHref(id);
});

/** A baseline's state: "warming up n/N", or ready (with where it came from). */
function baselineState(b) {
  if (!b.ready) return "warming up " + dw.num(b.generations) + "/" + dw.num(b.warmup);
  return "ready (" + b.source + ", " + dw.num(b.generations) + " generations)";
}

const baselineColumns = [
  { label: "model", value: b => b.model },
  { label: "task", value: b => b.partition < 0 ? "all (file)" : "partition " + b.partition },
  { label: "state", value: b => dw.h("span", { className: b.ready ? "" : "muted", text: baselineState(b) }) },
  { label: "p99.5 of each score's generation maximum", value: b => Object.entries(b.quantiles)
      .map(([score, q]) => score + " " + dw.num(q["99.5"], 3)).join(" · ") || "–" },
];

async function refreshBaselines() {
  const { body } = await dw.api("/api/baselines");
  dw.table(document.getElementById("baselines"), baselineColumns, body.baselines, "No model has a baseline yet.");
}

/** How the probed radius ranks against the embedding-based coherence_radius, in words. */
function correlationText(c) {
  if (!c || c.spearman === undefined || c.spearman === null) {
    return "rank correlation with the embedding-based coherence_radius: needs 3 probed generations with that score here ("
      + dw.num(c ? c.pairs : 0) + " so far)";
  }
  return "rank correlation with the embedding-based coherence_radius: Spearman ρ " + dw.num(c.spearman, 2) + " over "
    + dw.num(c.pairs) + " generations";
}

/** The live probe's curves by model, redrawn when a model's count of probed generations changes. */
let radiusKey = "";
async function refreshRadius() {
  const { body } = await dw.api("/api/radius");
  if (!body.probing) return;
  const key = body.models.map(m => m.model + "\u0000" + m.generations).join("\u0001") + JSON.stringify(body.correlations);
  if (key === radiusKey) return;
  const box = document.getElementById("radius");
  if (body.models.length === 0) {
    dw.replace(box, dw.h("p", { className: "muted", text: "No generation probed yet." }));
    radiusKey = key;
    return;
  }
  const panels = body.models.map(m => {
    const chartBox = dw.h("div", { className: "chart" });
    const panel = dw.h("div", { className: "run", "data-model": m.model },
      dw.h("h3", { text: m.model }),
      dw.h("div", { className: "counts", text: dw.num(m.generations) + " generations · " + dw.radiusText(m, body.tolerance) }),
      dw.h("div", { className: "counts", text: correlationText(body.correlations.find(c => c.model === m.model)) }), chartBox);
    return { panel, chartBox, m };
  });
  dw.replace(box, panels.map(p => p.panel));
  panels.forEach(p => dw.radiusChart(p.chartBox, p.m));
  // Only once drawn: a failed draw is tried again at the next refresh.
  radiusKey = key;
}

async function refresh() {
  try {
    const { body } = await dw.api("/api/overview");
    renderTotals(body.totals);
    latest = body;
    render();
    await refreshBaselines();
    await refreshRadius();
    const i = body.instances;
    document.getElementById("instances").textContent = i.asked + (i.asked === 1 ? " instance" : " instances")
      + (i.failed.length ? " · not answering: " + i.failed.join(", ") : "");
    dw.problem(i.failed.length ? "Some instances did not answer; their generations are missing: " + i.failed.join(", ") : null);
    document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);
  } catch (e) {
    dw.problem("Cannot reach the monitor's API: " + e.message + " (retrying)");
  }
}

refresh();
setInterval(refresh, 1000);
