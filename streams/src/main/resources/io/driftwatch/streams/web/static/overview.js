// The runs overview: polls /api/overview every second and redraws.
"use strict";

const HIST_COLOURS = {
  topic_shift: "#c0392b", entity_shift: "#d68910",
  drift_index: "#c0392b", semantic_drift_index: "#8e44ad", global_commitment: "#1f7a8c",
  referential_drift: "#d68910", coverage_12: "#7b3fa0"
};
const HIST_NAMES = {
  topic_shift: "topic shift", entity_shift: "entity shift (0…1)",
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
      const box = dw.h("div", { className: "hist", title: HIST_NAMES[s] + ": " + h.counts.join(" ") },
        dw.h("div", { className: "name", text: HIST_NAMES[s] }), canvas);
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
  { label: "rule", value: a => dw.h("span", { className: "badge " + (a.state === "firing" ? "firing" : ""), text: a.rule + " " + a.state }) },
  { label: "value", num: true, value: a => dw.num(a.value) },
  { label: "generation", value: a => dw.h("a", { href: dw.generationHref(a.generation_id), text: a.generation_id }) },
  { label: "model", value: a => a.model || "–" },
  { label: "tokens", value: a => a.first_seq + "–" + a.last_seq }
];

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

async function refresh() {
  try {
    const { body } = await dw.api("/api/overview");
    renderTotals(body.totals);
    renderRuns(body.runs);
    dw.table(document.getElementById("active"), generationColumns, body.active, "Nothing is generating right now.");
    dw.table(document.getElementById("alerts"), alertColumns, body.recent_alerts, "No alerts.");
    dw.table(document.getElementById("recent"), generationColumns, body.recent, "No generation has closed yet.");
    await refreshBaselines();
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
