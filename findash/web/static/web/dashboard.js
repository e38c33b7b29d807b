/*
 * The dashboard page. The server renders the tenant's panel (GET /app/panel/, which knows
 * whether the `dashboard` flag is on); this fills it from the JSON API. All API data goes
 * into the page through textContent, never as HTML.
 */
(function () {
  "use strict";

  const F = window.FindashFormat;
  const Api = window.FindashApi;

  const ENDPOINTS = {
    dashboard: "/financial/dashboard",
    summary: "/financial/dashboard/summary",
    accounts: "/financial/dashboard/accounts",
    transactions: "/financial/dashboard/transactions",
    budgets: "/financial/dashboard/budgets",
    netWorth: "/financial/net-worth",
    tenants: "/tenants?limit=500",
    accountList: "/accounts?limit=500",
  };
  const FLAG_DISABLED = "feature 'dashboard' is disabled";
  const NAMED_PERIODS = ["current_month", "last_month", "last_30_days", "last_90_days",
    "year_to_date", "last_year", "last_12_months"];
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
  const POLL_MS = 1000; // live updates: a conditional GET a second, only while the tab is visible
  const SHORT_PERIOD_DAYS = 7;

  const body = document.body;
  const panelHost = document.getElementById("panel");
  const message = document.getElementById("message");
  const controls = document.getElementById("controls");
  const tenantSelect = document.getElementById("tenant-select");
  const periodSelect = document.getElementById("period-select");
  const customRange = document.getElementById("custom-range");
  const startInput = document.getElementById("period-start");
  const endInput = document.getElementById("period-end");

  const state = {
    period: { period: "current_month", start: "", end: "" },
    panel: null,
    currency: "",
    accountNames: new Map(),
    loads: 0,
    etag: "",
    figures: "",
    polling: false,
    periodEnd: "",
  };

  // ---- small DOM helpers ------------------------------------------------------------

  function el(tag, options, children) {
    const node = document.createElement(tag);
    const opts = options || {};
    if (opts.className) {
      node.className = opts.className;
    }
    if (opts.text !== undefined) {
      node.textContent = opts.text;
    }
    if (opts.scope) {
      node.setAttribute("scope", opts.scope);
    }
    if (opts.colSpan) {
      node.colSpan = opts.colSpan;
    }
    (children || []).forEach((child) => node.appendChild(child));
    return node;
  }

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
      tbody.appendChild(el("tr", {}, [el("td", { text: emptyText, className: "empty", colSpan: columns })]));
      return;
    }
    rows.forEach((row) => tbody.appendChild(row));
    window.FindashUi.labelCells(table);
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

  function showMessage(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  function busy(delta) {
    state.loads += delta;
    panelHost.setAttribute("aria-busy", state.loads > 0 ? "true" : "false");
  }

  // ---- period and tenant in the URL -------------------------------------------------

  function readUrl() {
    const params = new URLSearchParams(window.location.search);
    const start = params.get("start") || "";
    const end = params.get("end") || "";
    if (start && end) {
      state.period = { period: "custom", start: start, end: end };
    } else {
      const period = params.get("period");
      state.period = {
        period: NAMED_PERIODS.indexOf(period) !== -1 ? period : "current_month",
        start: "",
        end: "",
      };
    }
    const tenant = params.get("tenant");
    if (tenant) {
      Api.tenantSet(tenant);
    }
  }

  function writeUrl() {
    const params = new URLSearchParams();
    const tenant = Api.tenantGet();
    if (tenant) {
      params.set("tenant", tenant);
    }
    if (state.period.period === "custom") {
      params.set("start", state.period.start);
      params.set("end", state.period.end);
    } else if (state.period.period !== "current_month") {
      params.set("period", state.period.period);
    }
    const query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    window.FindashShell.syncNav();
  }

  function periodQuery() {
    const params = new URLSearchParams();
    if (state.period.period === "custom") {
      params.set("start", state.period.start);
      params.set("end", state.period.end);
    } else {
      params.set("period", state.period.period);
    }
    return "?" + params.toString();
  }

  function syncControls() {
    periodSelect.value = state.period.period;
    customRange.hidden = state.period.period !== "custom";
    startInput.value = state.period.start;
    endInput.value = state.period.end;
  }

  // ---- errors -----------------------------------------------------------------------

  function toLogin() {
    const next = window.location.pathname + window.location.search;
    window.location.assign(body.dataset.loginUrl + "?next=" + encodeURIComponent(next));
  }

  function isFlagDisabled(error) {
    return error instanceof Api.ApiError && error.status === 404 && error.detail === FLAG_DISABLED;
  }

  /** Shows what went wrong; true when the caller should stop (e.g. sent to the login page). */
  function handleError(error) {
    if (error instanceof Api.SessionExpired) {
      toLogin();
      return true;
    }
    if (error instanceof Api.ApiError) {
      showMessage(error.message);
    } else {
      showMessage("Cannot reach the server. Check your connection and try again.");
    }
    return false;
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
          el("th", { text: label, scope: "row" }),
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
    state.accountNames = new Map(accounts.map((a) => [a.account_id, a.name]));
    fillRows(
      "accounts-table",
      accounts.map((account) => {
        const rate = account.fx_rate
          ? "1 " + account.currency + " = " + F.trimZeros(account.fx_rate) + " " + state.currency +
            (account.fx_date ? " (" + F.date(account.fx_date) + ")" : "")
          : account.currency === state.currency ? "—" : "missing";
        return el("tr", {}, [
          el("th", { text: account.name, scope: "row" }),
          cell(ACCOUNT_TYPES[account.type] || account.type),
          moneyCell(account.balance, account.currency),
          account.balance_base === null
            ? cell("not converted", "num warning-text")
            : moneyCell(account.balance_base, state.currency),
          cell(rate, account.fx_rate || account.currency === state.currency ? "" : "warning-text"),
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
    setText("#accounts-total", total === null ? "—" : F.money(total, state.currency), F.isNegative(total));
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
          el("th", { text: budget.category_name, scope: "row" }),
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
    const currency = state.currency;
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
          el("th", { text: row.name, scope: "row" }),
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
    const spending = summary.by_category.filter((row) => row.kind === "expense");
    window.FindashCharts.spendingByCategory("spending-chart", spending, currency);
    setText(
      "#spending-chart-summary",
      spending.length === 0 ? "No spending in this period." :
        spending.slice().sort((a, b) => Number(b.total) - Number(a.total)).slice(0, 3)
          .map((row) => row.name + " " + F.money(row.total, currency)).join(", ") +
        (spending.length > 3 ? " and " + (spending.length - 3) + " more" : "")
    );
    fillRows(
      "by-month-table",
      summary.by_month.map((row) =>
        el("tr", {}, [
          el("th", { text: F.month(row.month), scope: "row" }),
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
          el("th", { text: row.payee || "(no payee)", scope: "row" }),
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
        const who = el("th", { scope: "row" }, [el("span", { text: row.payee || "(no payee)" })]);
        if (row.description) {
          who.appendChild(el("span", { text: row.description, className: "muted small block" }));
        }
        return el("tr", {}, [
          cell(F.date(row.date), "nowrap"),
          who,
          cell(state.accountNames.get(row.account_id) || "#" + row.account_id),
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
    note.hidden = days >= SHORT_PERIOD_DAYS || state.period.period === "last_month";
    setText("#short-period-days", days === 1 ? "1 day" : days + " days");
  }

  function renderPeriod(period, generatedAt) {
    renderShortPeriod(period);
    state.periodEnd = period.end;
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
          el("th", { text: account.name, scope: "row" }),
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

  // ---- loading ----------------------------------------------------------------------

  async function loadTenants() {
    const page = await Api.getJson(ENDPOINTS.tenants);
    const current = Api.tenantGet();
    if (current && !page.items.some((t) => t.tenant_id === current)) {
      Api.tenantSet("");
    }
    tenantSelect.replaceChildren(
      ...page.items.map((tenant) => {
        const kind = tenant.tenant_type === "organization" ? "organization" : "personal";
        const option = el("option", { text: tenant.name + " (" + kind + ", " + tenant.role + ")" });
        option.value = tenant.tenant_id;
        return option;
      })
    );
    tenantSelect.disabled = page.items.length < 2;
  }

  async function loadPanel() {
    const html = await Api.getHtml(body.dataset.panelUrl);
    const template = document.createElement("template");
    template.innerHTML = html; // our own server-rendered, auto-escaped template
    panelHost.replaceChildren(template.content);
    const panel = document.getElementById("tenant-panel");
    state.panel = panel;
    state.currency = panel.dataset.baseCurrency;
    if (!Api.tenantGet()) {
      Api.tenantSet(panel.dataset.tenantId);
    }
    tenantSelect.value = panel.dataset.tenantId;
    document.title = panel.dataset.tenantName + " · findash";
    return panel.dataset.dashboardEnabled === "true";
  }

  function showDisabled() {
    state.etag = ""; // nothing to poll
    const dashboard = document.getElementById("dashboard");
    if (dashboard) {
      dashboard.hidden = true;
    }
    const list = document.getElementById("accounts-list-section");
    if (list) {
      list.hidden = false;
    }
    return loadAccountList();
  }

  async function loadAccountList() {
    renderAccountList(await Api.getJson(ENDPOINTS.accountList));
  }

  async function loadDashboard() {
    let answer;
    try {
      answer = await Api.getIfChanged(ENDPOINTS.dashboard + periodQuery(), "");
    } catch (error) {
      if (isFlagDisabled(error)) {
        await showDisabled();
        return;
      }
      throw error;
    }
    state.etag = answer.etag;
    state.figures = JSON.stringify({ ...answer.body, generated_at: null });
    renderDashboard(answer.body);
    await loadTrends();
    startPolling();
  }

  function renderDashboard(data) {
    state.currency = data.currency;
    renderPeriod(data.period, data.generated_at);
    renderWarnings(data.warnings);
    renderSummary(data.summary);
    renderAccounts(data.accounts);
    renderBudgets(data.budgets);
    renderTransactions(data.transactions);
    setText("#live-caption", "Live: changes appear within seconds.");
  }

  // ---- the 12-month charts ----------------------------------------------------------

  function twelveMonthsBefore(end) {
    const year = Number(end.slice(0, 4));
    const month = Number(end.slice(5, 7)) - 11;
    const first = new Date(Date.UTC(year, month - 1, 1));
    return first.toISOString().slice(0, 10);
  }

  async function loadTrends() {
    const end = state.periodEnd;
    const currency = state.currency;
    const [series, trend, budgets] = await Promise.all([
      Api.getJson(ENDPOINTS.netWorth + "?months=12&end=" + end),
      Api.getJson(ENDPOINTS.transactions + "?start=" + twelveMonthsBefore(end) + "&end=" + end),
      Api.getJson(ENDPOINTS.budgets + "?period=current_month"),
    ]);
    window.FindashCharts.netWorth("net-worth-chart", series.points, currency);
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
    window.FindashCharts.incomeExpenses("income-expenses-chart", trend.by_month, currency);
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
    window.FindashCharts.budgetUse("budget-use-chart", budgets);
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

  // ---- live updates: conditional GET with the last ETag, cheap as a 304 -------------

  async function poll() {
    if (document.hidden || state.loads > 0 || !state.etag) {
      return;
    }
    const answer = await Api.getIfChanged(ENDPOINTS.dashboard + periodQuery(), state.etag);
    if (!answer.changed) {
      return;
    }
    state.etag = answer.etag;
    // Without the response cache (e.g. locmem with several workers) every answer is new,
    // if only by its generated_at: redraw only when a figure changed.
    const figures = JSON.stringify({ ...answer.body, generated_at: null });
    if (figures !== state.figures) {
      state.figures = figures;
      renderDashboard(answer.body);
      await loadTrends();
    }
  }

  function startPolling() {
    if (state.polling) {
      return;
    }
    state.polling = true;
    const tick = () => {
      poll()
        .catch((error) => {
          if (error instanceof Api.SessionExpired) {
            toLogin();
          }
        })
        .finally(() => window.setTimeout(tick, POLL_MS));
    };
    window.setTimeout(tick, POLL_MS);
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) {
        poll().catch(() => {});
      }
    });
  }

  const SECTION_LOADERS = {
    summary: async () => renderSummary(await Api.getJson(ENDPOINTS.summary + periodQuery())),
    accounts: async () => renderAccounts(await Api.getJson(ENDPOINTS.accounts + periodQuery())),
    budgets: async () => renderBudgets(await Api.getJson(ENDPOINTS.budgets + periodQuery())),
    transactions: async () =>
      renderTransactions(await Api.getJson(ENDPOINTS.transactions + periodQuery())),
    "accounts-list": loadAccountList,
  };

  async function run(task) {
    busy(1);
    try {
      await task();
      return true;
    } catch (error) {
      if (isFlagDisabled(error)) {
        await run(showDisabled);
        return true;
      }
      handleError(error);
      return false;
    } finally {
      busy(-1);
    }
  }

  async function loadAll() {
    showMessage("");
    writeUrl();
    await run(async () => {
      let enabled;
      try {
        enabled = await loadPanel();
      } catch (error) {
        if (error instanceof Api.ApiError && error.status === 403 && Api.tenantGet()) {
          // No longer a member of the remembered tenant: fall back to the personal one.
          Api.tenantSet("");
          writeUrl();
          enabled = await loadPanel();
        } else {
          throw error;
        }
      }
      writeUrl();
      await (enabled ? loadDashboard() : loadAccountList());
    });
  }

  // ---- events -----------------------------------------------------------------------

  function applyControls() {
    const period = periodSelect.value;
    if (period === "custom") {
      if (!startInput.value || !endInput.value) {
        showMessage("Choose both a start and an end date for a custom range.");
        (startInput.value ? endInput : startInput).focus();
        return false;
      }
      if (startInput.value > endInput.value) {
        showMessage("The start date must not be after the end date.");
        startInput.focus();
        return false;
      }
      state.period = { period: "custom", start: startInput.value, end: endInput.value };
    } else {
      state.period = { period: period, start: "", end: "" };
    }
    return true;
  }

  periodSelect.addEventListener("change", () => {
    customRange.hidden = periodSelect.value !== "custom";
    if (periodSelect.value !== "custom" && applyControls()) {
      loadAll();
    } else if (periodSelect.value === "custom") {
      startInput.focus();
    }
  });

  tenantSelect.addEventListener("change", () => {
    Api.tenantSet(tenantSelect.value);
    loadAll();
  });

  controls.addEventListener("submit", (event) => {
    event.preventDefault();
    if (applyControls()) {
      loadAll();
    }
  });

  document.getElementById("refresh-button").addEventListener("click", () => loadAll());

  panelHost.addEventListener("click", (event) => {
    if (event.target.closest("#show-last-month")) {
      state.period = { period: "last_month", start: "", end: "" };
      syncControls();
      loadAll();
    }
  });

  document.getElementById("logout-button").addEventListener("click", () => {
    Api.logout().finally(() => window.location.assign(body.dataset.loginUrl));
  });

  panelHost.addEventListener("click", (event) => {
    const button = event.target.closest("[data-refresh]");
    const loader = button && SECTION_LOADERS[button.dataset.refresh];
    if (loader) {
      showMessage("");
      run(loader);
    }
  });

  // ---- start ------------------------------------------------------------------------

  if (!Api.hasSession()) {
    toLogin();
    return;
  }
  readUrl();
  syncControls();
  run(loadTenants).then((ok) => {
    if (ok) {
      loadAll();
    }
  });
})();
