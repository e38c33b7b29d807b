/*
 * The dashboard's charts, drawn by Chart.js (vendored, see README). Chart.js needs numbers
 * to place bars and points: Number() is used for geometry only; every figure a person
 * reads (tooltips, the accessible summary, the tables beside each chart) is the API's
 * exact decimal string formatted by money.js.
 *
 * Chart.js (70 KB gzip) is not among the page's scripts: it is loaded when the first chart
 * is asked for, after the figures are on screen, and every chart asked for meanwhile is
 * drawn once it has arrived. The page names the file in <body data-chart-src>.
 */
(function (root) {
  "use strict";

  const F = root.FindashFormat;
  const charts = new Map();
  const redraws = new Map(); // id -> how to draw it again (colours change with dark mode)

  function color(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
  }

  function baseOptions(currency, labelsOf) {
    const text = color("--text");
    const grid = color("--border");
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { labels: { color: text } },
        tooltip: {
          callbacks: {
            label: (item) => {
              const exact = labelsOf(item);
              return (item.dataset.label ? item.dataset.label + ": " : "") + F.money(exact, currency);
            },
          },
        },
      },
      scales: {
        x: { ticks: { color: text }, grid: { color: grid } },
        y: { ticks: { color: text }, grid: { color: grid } },
      },
    };
  }

  /** Draws (or redraws) the chart on canvas #id; `exact[dataset][index]` are API strings. */
  function draw(id, type, labels, datasets, exact, currency, extra) {
    const canvas = document.getElementById(id);
    if (!canvas || typeof root.Chart === "undefined") {
      return;
    }
    const previous = charts.get(id);
    if (previous && previous.canvas === canvas) {
      previous.data.labels = labels;
      previous.data.datasets = datasets;
      previous.update("none");
      return;
    }
    if (previous) {
      previous.destroy();
    }
    const options = baseOptions(currency, (item) => exact[item.datasetIndex][item.dataIndex]);
    const { plugins, ...rest } = extra || {};
    Object.assign(options, rest);
    Object.assign(options.plugins, plugins || {});
    charts.set(id, new root.Chart(canvas, { type: type, data: { labels: labels, datasets: datasets }, options: options }));
  }

  function numbers(values) {
    return values.map((value) => (value === null ? null : Number(value)));
  }

  function netWorth(id, points, currency) {
    const values = points.map((p) => p.net_worth);
    draw(
      id,
      "line",
      points.map((p) => F.date(p.date)),
      [{ label: "Net worth", data: numbers(values), borderColor: color("--accent"), backgroundColor: color("--accent"), tension: 0.2, pointRadius: 3 }],
      [values],
      currency,
      { plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item) => "Net worth: " + F.money(values[item.dataIndex], currency) } } } }
    );
  }

  function incomeExpenses(id, months, currency) {
    const income = months.map((m) => m.income);
    const expenses = months.map((m) => m.expenses);
    const net = months.map((m) => m.net);
    draw(
      id,
      "bar",
      months.map((m) => F.month(m.month)),
      [
        { label: "Income", data: numbers(income), backgroundColor: color("--income"), order: 2 },
        { label: "Expenses", data: numbers(expenses), backgroundColor: color("--expense"), order: 2 },
        { label: "Net", data: numbers(net), type: "line", borderColor: color("--text"), backgroundColor: color("--text"), order: 1, pointRadius: 3 },
      ],
      [income, expenses, net],
      currency
    );
  }

  /** A horizontal bar chart grows with its rows, so every category keeps its label. */
  function fitRows(id, count) {
    const canvas = document.getElementById(id);
    if (canvas) {
      canvas.parentElement.style.height = Math.max(256, count * 24 + 48) + "px";
    }
  }

  function spendingByCategory(id, rows, currency) {
    fitRows(id, rows.length);
    const totals = rows.map((r) => r.total);
    draw(
      id,
      "bar",
      rows.map((r) => r.name),
      [{ label: "Spent", data: numbers(totals), backgroundColor: color("--expense") }],
      [totals],
      currency,
      {
        indexAxis: "y",
        scales: {
          x: { ticks: { color: color("--text") }, grid: { color: color("--border") } },
          y: { ticks: { color: color("--text"), autoSkip: false }, grid: { color: color("--border") } },
        },
        plugins: { legend: { display: false } },
      }
    );
  }

  function budgetUse(id, rows) {
    fitRows(id, rows.length);
    const used = rows.map((r) => (r.percent_used === null ? "0" : r.percent_used));
    const colors = rows.map((r) => color(r.status === "over" ? "--over" : r.status === "warning" ? "--warning" : "--ok"));
    draw(
      id,
      "bar",
      rows.map((r) => r.category_name),
      [{ label: "Used", data: numbers(used), backgroundColor: colors }],
      [used],
      "",
      {
        indexAxis: "y",
        scales: {
          x: { suggestedMin: 0, suggestedMax: 100, ticks: { color: color("--text") }, grid: { color: color("--border") } },
          y: { ticks: { color: color("--text"), autoSkip: false }, grid: { color: color("--border") } },
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => "Used: " + F.percent(used[item.dataIndex]) } },
        },
      }
    );
  }

  // Switching between light and dark: rebuild every chart with the new colours.
  root.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
    charts.forEach((chart) => chart.destroy());
    charts.clear();
    redraws.forEach((redraw) => redraw());
  });

  let loading = null; // the promise of Chart.js, once asked for

  /** Loads Chart.js once; then draws every chart asked for so far. */
  function load() {
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = document.body.dataset.chartSrc;
        script.onload = () => {
          redraws.forEach((redraw) => redraw());
          resolve();
        };
        script.onerror = () => reject(new Error("the chart library did not load"));
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  /** The chart function, remembering its last call so a colour change can repeat it. */
  function remembered(chart) {
    return function (id, ...args) {
      redraws.set(id, () => chart(id, ...args));
      if (typeof root.Chart === "undefined") {
        load().catch(() => {}); // the tables beside the charts still hold every number
      } else {
        chart(id, ...args);
      }
    };
  }

  /** Resolves when every chart asked for so far is drawn (at once if none needs Chart.js). */
  function ready() {
    return loading ? loading.catch(() => {}) : Promise.resolve();
  }

  root.FindashCharts = {
    ready: ready,
    budgetUse: remembered(budgetUse),
    incomeExpenses: remembered(incomeExpenses),
    netWorth: remembered(netWorth),
    spendingByCategory: remembered(spendingByCategory),
  };
})(window);
