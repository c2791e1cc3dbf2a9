// Draws the report's plots from the data embedded in the page. Every label comes from the data, and
// reaches the page only as text (textContent, uPlot's own text nodes), never as markup.
(function () {
  const embedded = JSON.parse(document.getElementById("report-data").textContent);
  const data = embedded.comparison;
  const colours = ["#2b6cb0", "#dd6b20", "#2f855a", "#9b2c2c", "#6b46c1", "#b7791f"];
  const runs = embedded.run_order; // the baseline first
  let drawn = 0;

  for (const box of document.querySelectorAll(".plot[data-score]")) {
    const score = box.dataset.score;
    const h = data.histograms[score];
    const bins = h.counts[runs[0]].length;
    const centres = [];
    for (let i = 0; i < bins; i++) centres.push(h.lower + (i + 0.5) * h.width);
    const series = [{ label: score }];
    const values = [centres];
    runs.forEach((run, i) => {
      const counts = h.counts[run] || new Array(bins).fill(0);
      values.push(counts);
      series.push({
        label: run + " (n=" + counts.reduce((a, b) => a + b, 0) + ")",
        stroke: colours[i % colours.length],
        fill: colours[i % colours.length] + "22",
        width: 1.5,
        paths: uPlot.paths.stepped({ align: 0 }),
        value: (u, v) => v == null ? "–" : String(v)
      });
    });
    new uPlot({
      width: Math.max(480, box.clientWidth - 8),
      height: 220,
      scales: { x: { time: false, range: [h.lower, h.lower + bins * h.width] } },
      axes: [{ label: score, size: 40 }, { label: "generations", size: 56 }],
      series
    }, values, box);
    box.dataset.drawn = "true";
    drawn++;
  }

  document.body.dataset.plotsDrawn = String(drawn);
})();
