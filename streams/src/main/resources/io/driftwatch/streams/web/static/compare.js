// Two live runs side by side: the choices come from the overview's runs, the numbers from /api/compare
// (the statistics of driftwatch compare, computed by the monitor). Labels reach the page only as text.
"use strict";

const COLOURS = ["#1f3a5f", "#d68910"];
let runs = [];
let charts = [];
/** Below this many generations a bootstrap interval is too narrow to trust (docs/compare.md). */
const FEW = 20;

function key(r) {
  return JSON.stringify([r.model, r.run_id]);
}

function fillChoices(overviewRuns) {
  const next = overviewRuns.map(r => ({ model: r.model, run_id: r.run_id })).sort((a, b) => key(a) < key(b) ? -1 : 1);
  if (next.map(key).join() === runs.map(key).join()) return;
  runs = next;
  const params = new URLSearchParams(location.search);
  for (const [id, model, run, fallback] of [["baseline", params.get("baseline_model"), params.get("baseline_run"), 0],
    ["candidate", params.get("model"), params.get("run"), 1]]) {
    const select = document.getElementById(id);
    const current = select.value || (model !== null ? JSON.stringify([model, run]) : "");
    dw.replace(select, runs.map(r => dw.h("option", { value: key(r), text: (r.model || "?") + " · run " + (r.run_id || "?") })));
    if (runs.some(r => key(r) === current)) select.value = current;
    else if (runs.length > fallback) select.value = key(runs[fallback]);
  }
}

function query() {
  const [bm, br] = JSON.parse(document.getElementById("baseline").value || "[null,null]");
  const [m, r] = JSON.parse(document.getElementById("candidate").value || "[null,null]");
  const q = new URLSearchParams();
  if (bm !== null) q.set("baseline_model", bm);
  if (br !== null) q.set("baseline_run", br);
  if (m !== null) q.set("model", m);
  if (r !== null) q.set("run", r);
  return q;
}

/** A number of the comparison: the codec writes an undefined one (no values, all tied) as the string "NaN". */
function n(v) {
  return typeof v === "string" ? Number(v) : v;
}

function render(body) {
  const c = body.comparison;
  const order = body.run_order;
  const few = order.some(run => c.runs[run] < FEW);
  document.getElementById("summary").textContent = order.map(run => run + ": " + c.runs[run] + " generations").join(" · ")
    + (body.limited ? " (the newest 1,000 of each)" : "")
    + (few ? " · fewer than " + FEW + " generations: intervals are rough, trust the rank test more" : "");
  dw.table(document.getElementById("differences"), [
    { label: "score", value: d => d.score },
    { label: "baseline mean", num: true, value: d => dw.num(n(c.distributions[d.score][d.baseline].mean), 3) },
    { label: "mean", num: true, value: d => dw.num(n(c.distributions[d.score][d.run].mean), 3) },
    { label: "difference", num: true, value: d => dw.num(n(d.mean_difference), 3) },
    { label: "interval", num: true, value: d => "[" + dw.num(n(d.low), 3) + ", " + dw.num(n(d.high), 3) + "]" },
    { label: "Cliff's δ", num: true, value: d => dw.num(n(d.cliffs_delta), 3) },
    { label: "rank test p", num: true, value: d => dw.num(n(d.rank_test_p), 4) },
    { label: "", value: d => (d.low > 0 || d.high < 0) ? dw.h("span", { className: "badge firing", text: "differs" }) : "" }
  ], c.differences.filter(d => Number.isFinite(n(d.mean_difference))), "No score in common.");
  dw.table(document.getElementById("alert-rates"), [
    { label: "rule", value: a => dw.ruleBadge({ rule: a.rule, state: "" }) },
    { label: "run", value: a => a.run },
    { label: "alerted", num: true, value: a => a.alerted + " / " + a.generations },
    { label: "rate", num: true, value: a => dw.num(n(a.rate) * 100, 1) + "%" },
    { label: "interval", num: true, value: a => "[" + dw.num(a.low * 100, 1) + "%, " + dw.num(a.high * 100, 1) + "%]" },
    { label: "Fisher p", num: true, value: a => {
      const d = c.alert_differences.find(x => x.rule === a.rule && x.run === a.run);
      return d ? dw.num(n(d.p), 4) : "";
    } }
  ], c.alert_rates, "No alert fired in either run.");

  charts.forEach(ch => ch.destroy());
  charts = [];
  const plots = document.getElementById("plots");
  dw.replace(plots);
  for (const [score, h] of Object.entries(c.histograms)) {
    const bins = h.counts[order[0]].length;
    const centres = Array.from({ length: bins }, (_, i) => h.lower + (i + 0.5) * h.width);
    const box = dw.h("div", { className: "chart", "data-score": score }, dw.h("h3", { text: score }));
    plots.appendChild(box);
    charts.push(new uPlot({
      width: Math.max(400, box.clientWidth - 16), height: 200,
      scales: { x: { time: false, range: [h.lower, h.lower + bins * h.width] } },
      axes: [{ label: score }, { label: "generations" }],
      series: [{ label: score }].concat(order.map((run, i) => ({
        label: run + " (n=" + h.counts[run].reduce((a, b) => a + b, 0) + ")", stroke: COLOURS[i % COLOURS.length],
        fill: COLOURS[i % COLOURS.length] + "22", width: 1.5, paths: uPlot.paths.stepped({ align: 0 })
      })))
    }, [centres].concat(order.map(run => h.counts[run])), box));
  }
  document.body.dataset.plotsDrawn = String(charts.length);
}

async function refresh() {
  try {
    const { body: overview } = await dw.api("/api/overview");
    fillChoices(overview.runs);
    if (runs.length < 2) {
      dw.problem("Two runs are needed; the view holds " + runs.length + ". Start producers, or run: driftwatch demo");
      return;
    }
    const q = query();
    document.getElementById("json").setAttribute("href", "/api/compare?" + q);
    history.replaceState(null, "", "/compare?" + q);
    const { body } = await dw.api("/api/compare?" + q);
    dw.problem(null);
    render(body);
  } catch (e) {
    dw.problem(e.message + " (retrying)");
  }
}

document.getElementById("baseline").addEventListener("change", refresh);
document.getElementById("candidate").addEventListener("change", refresh);
refresh();
setInterval(refresh, 10000);
