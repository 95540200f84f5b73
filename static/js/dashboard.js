// The dashboard's two charts, drawn from the JSON the page embeds (no inline script: CSP).
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var brand = "#0b5a8a", accent = "#18a37a";
  var usd = function (value) { return "$" + Number(value).toLocaleString(); };
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

  function twoAxes(canvas, labels, counts, amounts, horizontal) {
    return new Chart(canvas, {
      data: {
        labels: labels,
        datasets: [
          { type: "bar", label: data.labels.consultations, data: counts, backgroundColor: brand, yAxisID: "count", xAxisID: "x" },
          { type: horizontal ? "bar" : "line", label: data.labels.signed_usd, data: amounts, backgroundColor: accent,
            borderColor: accent, yAxisID: horizontal ? "count" : "usd", xAxisID: horizontal ? "usd" : "x", tension: 0.3 }
        ]
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        interaction: { mode: "index", intersect: false },
        plugins: { tooltip: { callbacks: { label: function (ctx) {
          return ctx.dataset.label + ": " + (ctx.dataset.xAxisID === "usd" || ctx.dataset.yAxisID === "usd" ? usd(ctx.raw) : ctx.raw);
        } } } },
        scales: horizontal ? {
          count: { position: "left", ticks: { autoSkip: false } },
          x: { position: "bottom", beginAtZero: true, ticks: { precision: 0 } },
          usd: { position: "top", beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { callback: usd } }
        } : {
          x: {},
          count: { position: "left", beginAtZero: true, ticks: { precision: 0 } },
          usd: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { callback: usd } }
        }
      }
    });
  }

  var months = document.getElementById("chart-months");
  if (months) { twoAxes(months, data.months, data.consultations, data.signed_usd, false); }
  var centers = document.getElementById("chart-centers");
  if (centers) { twoAxes(centers, data.centers, data.center_consultations, data.center_signed_usd, true); }
})();
