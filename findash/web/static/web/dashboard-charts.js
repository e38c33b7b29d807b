/*
 * The dashboard's charts and the tables beside them: spending by category for the period,
 * and the 12-month net worth, income and expenses, and this month's budgets. dashboard.js
 * fetches; this draws through charts.js (which loads Chart.js when first needed).
 */
(function (root) {
  "use strict";

  const F = root.FindashFormat;
  const View = root.FindashDashboardView;
  const { el, cell, moneyCell, fillRows, setText } = View.helpers;
  const STATUS_LABELS = View.STATUS_LABELS;

  function spending(summary, currency) {
    const spending = summary.by_category.filter((row) => row.kind === "expense");
    root.FindashCharts.spendingByCategory("spending-chart", spending, currency);
    setText(
      "#spending-chart-summary",
      spending.length === 0 ? "No spending in this period." :
        spending.slice().sort((a, b) => Number(b.total) - Number(a.total)).slice(0, 3)
          .map((row) => row.name + " " + F.money(row.total, currency)).join(", ") +
        (spending.length > 3 ? " and " + (spending.length - 3) + " more" : "")
    );
  }

  function trends(series, trend, budgets, currency) {
    root.FindashCharts.netWorth("net-worth-chart", series.points, currency);
    const first = series.points[0];
    const last = series.points[series.points.length - 1];
    setText(
      "#net-worth-chart-summary",
      "From " + F.money(first.net_worth, currency) + " on " + F.date(first.date) + " to " +
        F.money(last.net_worth, currency) + " on " + F.date(last.date) + "."
    );
    fillRows(
      "net-worth-table",
      series.points.map((p) => el("tr", {}, [
        el("th", { text: F.date(p.date), scope: "row" }),
        moneyCell(p.total_assets, currency),
        moneyCell(p.total_liabilities, currency),
        moneyCell(p.net_worth, currency),
      ])),
      "No data.",
      4
    );
    root.FindashCharts.incomeExpenses("income-expenses-chart", trend.by_month, currency);
    setText(
      "#income-expenses-chart-summary",
      "Over these months: income " + F.money(trend.income, currency) + ", expenses " +
        F.money(trend.expenses, currency) + ", net " + F.money(trend.net, currency) + "."
    );
    fillRows(
      "trend-month-table",
      trend.by_month.map((row) => el("tr", {}, [
        el("th", { text: F.month(row.month), scope: "row" }),
        moneyCell(row.income, currency),
        moneyCell(row.expenses, currency),
        moneyCell(row.net, currency),
      ])),
      "No months.",
      4
    );
    root.FindashCharts.budgetUse("budget-use-chart", budgets);
    const over = budgets.filter((b) => b.status === "over").length;
    setText(
      "#budget-use-chart-summary",
      budgets.length === 0 ? "No budgets this month." :
        budgets.length + " budgets this month, " + over + " over their limit."
    );
    fillRows(
      "budget-use-table",
      budgets.map((b) => el("tr", {}, [
        el("th", { text: b.category_name, scope: "row" }),
        moneyCell(b.limit, b.currency),
        moneyCell(b.spent, b.currency),
        cell(b.percent_used === null ? "—" : F.percent(b.percent_used), "num"),
        cell(STATUS_LABELS[b.status] || b.status),
      ])),
      "No budgets this month.",
      5
    );
  }

  root.FindashDashboardCharts = { spending: spending, trends: trends };
})(window);
