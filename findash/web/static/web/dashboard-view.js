/*
 * The dashboard's figures and tables, drawn from the API's JSON into the server-rendered
 * panel (dashboard.js fetches; this draws). API data goes into the page through
 * textContent, never as HTML.
 */
(function (root) {
  "use strict";

  const F = root.FindashFormat;

  const ACCOUNT_TYPES = {
    checking: "Checking",
    savings: "Savings",
    cash: "Cash",
    investment: "Investment",
    credit_card: "Credit card",
    loan: "Loan",
    other: "Other",
  };
  const STATUS_LABELS = { ok: "OK", warning: "Warning", over: "Over" };
  const HEALTH_COMPONENTS = {
    savings_rate: {
      label: "Savings rate",
      value: (v) => F.ratioPercent(v),
      words: (v) => v === null ? "No income in this period: scores 0." :
        "You kept " + F.ratioPercent(v) + " of your income; 20 % or more gets full marks.",
    },
    emergency_fund_months: {
      label: "Emergency fund",
      value: (v) => monthsText(v),
      words: (v) => v === null ? "No spending in this period to compare your cash with." :
        "Your checking, savings and cash cover " + monthsText(v) + " of spending; 6 months gets full marks.",
    },
    debt_to_asset_ratio: {
      label: "Debt to assets",
      value: (v) => F.ratioPercent(v),
      words: (v) => v === null ? "You own nothing yet to compare debt with." :
        "You owe " + F.ratioPercent(v) + " of what you own; no debt gets full marks.",
    },
    budget_adherence: {
      label: "Budgets kept",
      value: (v) => F.ratioPercent(v),
      words: (v) => v === null ? "No budgets in this period: full marks." :
        F.ratioPercent(v) + " of this period's budget months are not over.",
    },
  };
  const SHORT_PERIOD_DAYS = 7;

  const panelHost = document.getElementById("panel");
  // What the renderers share with the page: dashboard.js sets currency and periodName.
  const view = {
    currency: "",
    periodName: "current_month",
    periodEnd: "",
    accountNames: new Map(),
  };

  // ---- small DOM helpers ------------------------------------------------------------

  const el = root.FindashUi.el;

  function cell(text, className) {
    return el("td", { text: text, className: className });
  }

  function moneyCell(amount, currency) {
    const negative = F.isNegative(amount);
    return cell(F.money(amount, currency), "num" + (negative ? " negative" : ""));
  }

  function bar(widthPercent, className) {
    const fill = el("span", { className: "bar-fill" + (className ? " " + className : "") });
    fill.style.width = F.barWidth(widthPercent) + "%";
    const track = el("span", { className: "bar" }, [fill]);
    track.setAttribute("aria-hidden", "true");
    return track;
  }

  function fillRows(tableId, rows, emptyText, columns) {
    const table = document.getElementById(tableId);
    if (!table) {
      return;
    }
    const tbody = table.tBodies[0];
    tbody.replaceChildren();
    if (rows.length === 0) {
      tbody.appendChild(el("tr", {}, [el("td", { text: emptyText, className: "empty", attrs: { colspan: columns } })]));
      return;
    }
    rows.forEach((row) => tbody.appendChild(row));
    root.FindashUi.labelCells(table);
  }

  function setText(selector, text, negative) {
    const node = panelHost.querySelector(selector);
    if (node) {
      node.textContent = text;
      node.classList.toggle("negative", Boolean(negative));
    }
  }

  function monthsText(value) {
    return value === null || value === undefined ? "—" : F.decimal(value) + " months";
  }

  // ---- renderers --------------------------------------------------------------------

  function renderSummary(summary) {
    const currency = summary.currency;
    ["net_worth", "total_assets", "total_liabilities", "income", "expenses", "net_cash_flow"]
      .forEach((field) => {
        setText(
          '[data-summary="' + field + '"]',
          F.money(summary[field], currency),
          F.isNegative(summary[field])
        );
      });
    setText(
      '[data-summary="savings_rate"]',
      summary.savings_rate === null ? "— (no income)" : F.ratioPercent(summary.savings_rate),
      F.isNegative(summary.savings_rate)
    );
    const health = summary.health;
    setText("#health-score", String(health.score));
    const healthBar = document.getElementById("health-bar");
    if (healthBar) {
      healthBar.style.width = F.barWidth(health.score) + "%";
      healthBar.className = "bar-fill " + (health.score >= 70 ? "ok" : health.score >= 40 ? "warning" : "over");
    }
    fillRows(
      "health-components",
      health.components.map((component) => {
        const known = HEALTH_COMPONENTS[component.name];
        const label = known ? known.label : component.name.replace(/_/g, " ");
        const value = known ? known.value(component.value) : F.decimal(component.value);
        return el("tr", {}, [
          el("th", { text: label, attrs: { scope: "row" } }),
          cell(value, "num"),
          cell(String(component.score), "num"),
          cell(String(component.weight), "num"),
          cell(known ? known.words(component.value) : ""),
        ]);
      }),
      "No components.",
      5
    );
  }

  function renderAccounts(accounts) {
    view.accountNames = new Map(accounts.map((a) => [a.account_id, a.name]));
    fillRows(
      "accounts-table",
      accounts.map((account) => {
        const rate = account.fx_rate
          ? "1 " + account.currency + " = " + F.trimZeros(account.fx_rate) + " " + view.currency +
            (account.fx_date ? " (" + F.date(account.fx_date) + ")" : "")
          : account.currency === view.currency ? "—" : "missing";
        return el("tr", {}, [
          el("th", { text: account.name, attrs: { scope: "row" } }),
          cell(ACCOUNT_TYPES[account.type] || account.type),
          moneyCell(account.balance, account.currency),
          account.balance_base === null
            ? cell("not converted", "num warning-text")
            : moneyCell(account.balance_base, view.currency),
          cell(rate, account.fx_rate || account.currency === view.currency ? "" : "warning-text"),
          moneyCell(account.inflow, account.currency),
          moneyCell(account.outflow, account.currency),
          cell(String(account.transaction_count), "num"),
        ]);
      }),
      "No accounts yet.",
      8
    );
    const converted = accounts.map((a) => a.balance_base).filter((v) => v !== null);
    const total = F.sumDecimals(converted);
    setText("#accounts-total", total === null ? "—" : F.money(total, view.currency), F.isNegative(total));
  }

  function renderBudgets(budgets) {
    fillRows(
      "budgets-table",
      budgets.map((budget) => {
        const used = el("td", { className: "used" });
        if (budget.percent_used === null) {
          used.textContent = "—";
        } else {
          used.appendChild(bar(budget.percent_used, budget.status));
          used.appendChild(el("span", { text: F.percent(budget.percent_used), className: "bar-label" }));
        }
        const status = el("td", {}, [
          el("span", {
            text: STATUS_LABELS[budget.status] || budget.status,
            className: "badge badge-" + budget.status,
          }),
        ]);
        return el("tr", {}, [
          el("th", { text: budget.category_name, attrs: { scope: "row" } }),
          cell(F.month(budget.month)),
          moneyCell(budget.limit, budget.currency),
          moneyCell(budget.spent, budget.currency),
          moneyCell(budget.remaining, budget.currency),
          used,
          status,
        ]);
      }),
      "No budgets in this period.",
      7
    );
  }

  function largest(values) {
    return values.reduce((most, value) => {
      const number = Number(value);
      return Number.isFinite(number) && number > most ? number : most;
    }, 0);
  }

  function renderTransactions(summary) {
    const currency = view.currency;
    setText('[data-transactions="count"]', String(summary.count));
    ["income", "expenses", "net", "average_daily_spend"].forEach((field) => {
      setText('[data-transactions="' + field + '"]', F.money(summary[field], currency), F.isNegative(summary[field]));
    });

    // Bar lengths are relative to the largest row of the same kind: Number() sizes bars only.
    const categoryMax = {};
    ["income", "expense"].forEach((kind) => {
      categoryMax[kind] = largest(
        summary.by_category.filter((row) => row.kind === kind).map((row) => row.total)
      );
    });
    fillRows(
      "by-category-table",
      summary.by_category.map((row) =>
        el("tr", {}, [
          el("th", { text: row.name, attrs: { scope: "row" } }),
          cell(row.kind === "income" ? "Income" : "Expense"),
          moneyCell(row.total, currency),
          cell(String(row.count), "num"),
          el("td", { className: "share" }, [
            bar(categoryMax[row.kind] > 0 ? (Number(row.total) / categoryMax[row.kind]) * 100 : 0, row.kind),
          ]),
        ])
      ),
      "No transactions in this period.",
      5
    );
    fillRows(
      "by-month-table",
      summary.by_month.map((row) =>
        el("tr", {}, [
          el("th", { text: F.month(row.month), attrs: { scope: "row" } }),
          moneyCell(row.income, currency),
          moneyCell(row.expenses, currency),
          moneyCell(row.net, currency),
        ])
      ),
      "No months in this period.",
      4
    );
    fillRows(
      "top-payees-table",
      summary.top_payees.map((row) =>
        el("tr", {}, [
          el("th", { text: row.payee || "(no payee)", attrs: { scope: "row" } }),
          moneyCell(row.total, currency),
          cell(String(row.count), "num"),
        ])
      ),
      "No spending in this period.",
      3
    );
    fillRows(
      "largest-expenses-table",
      summary.largest_expenses.map((row) => {
        const who = el("th", { attrs: { scope: "row" } }, [el("span", { text: row.payee || "(no payee)" })]);
        if (row.description) {
          who.appendChild(el("span", { text: row.description, className: "muted small block" }));
        }
        return el("tr", {}, [
          cell(F.date(row.date), "nowrap"),
          who,
          cell(view.accountNames.get(row.account_id) || "#" + row.account_id),
          moneyCell(row.amount, row.currency),
          moneyCell(row.amount_base, currency),
        ]);
      }),
      "No expenses in this period.",
      5
    );
  }

  function renderWarnings(warnings) {
    const section = document.getElementById("warnings");
    const list = document.getElementById("warnings-list");
    if (!section || !list) {
      return;
    }
    list.replaceChildren(
      ...warnings.map((warning) => {
        const title = warning.code === "missing_exchange_rate"
          ? "Missing exchange rate " + warning.currency + " → " + warning.target_currency + ": "
          : warning.code + ": ";
        return el("li", {}, [el("strong", { text: title }), el("span", { text: warning.message })]);
      })
    );
    section.hidden = warnings.length === 0;
  }

  function daysBetween(start, end) {
    return Math.round((Date.parse(end + "T00:00:00Z") - Date.parse(start + "T00:00:00Z")) / 86400000) + 1;
  }

  function renderShortPeriod(period) {
    const note = document.getElementById("short-period");
    if (!note) {
      return;
    }
    const days = daysBetween(period.start, period.end);
    note.hidden = days >= SHORT_PERIOD_DAYS || view.periodName === "last_month";
    setText("#short-period-days", days === 1 ? "1 day" : days + " days");
  }

  function renderPeriod(period, generatedAt) {
    renderShortPeriod(period);
    view.periodEnd = period.end;
    let text = F.date(period.start) + " – " + F.date(period.end);
    if (generatedAt) {
      const time = new Date(generatedAt);
      if (!Number.isNaN(time.getTime())) {
        text += " · updated " + time.toLocaleTimeString();
      }
    }
    setText("#period-caption", text);
  }

  function renderAccountList(page) {
    fillRows(
      "accounts-list-table",
      page.items.map((account) =>
        el("tr", {}, [
          el("th", { text: account.name, attrs: { scope: "row" } }),
          cell(ACCOUNT_TYPES[account.type] || account.type),
          cell(account.currency),
          moneyCell(account.opening_balance, account.currency),
          cell(account.is_archived ? "Archived" : "Active"),
        ])
      ),
      "No accounts yet.",
      5
    );
  }

  root.FindashDashboardView = {
    view: view,
    helpers: { el: el, cell: cell, moneyCell: moneyCell, fillRows: fillRows, setText: setText },
    STATUS_LABELS: STATUS_LABELS,
    renderSummary: renderSummary,
    renderAccounts: renderAccounts,
    renderBudgets: renderBudgets,
    renderTransactions: renderTransactions,
    renderWarnings: renderWarnings,
    renderPeriod: renderPeriod,
    renderAccountList: renderAccountList,
  };
})(window);
