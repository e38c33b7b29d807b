/*
 * The dashboard page: loading, live updates and the controls. The server renders the
 * tenant's panel (GET /app/panel/, which knows whether the `dashboard` flag is on) with the
 * period's dashboard JSON already inside it, so the figures need no second round trip;
 * dashboard-view.js draws them, dashboard-charts.js the charts once the figures are up.
 */
(function () {
  "use strict";

  const Api = window.FindashApi;
  const View = window.FindashDashboardView;
  const Charts = window.FindashDashboardCharts;
  const Period = window.FindashDashboardPeriod;
  const { el, setText } = View.helpers;

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
  const POLL_MS = 1000; // live updates: a conditional GET a second, only while the tab is visible

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
    loads: 0,
    etag: "",
    figures: "",
    polling: false,
  };

  function showMessage(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  function busy(delta) {
    state.loads += delta;
    panelHost.setAttribute("aria-busy", state.loads > 0 ? "true" : "false");
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
    if (state.panel) {
      tenantSelect.value = state.panel.dataset.tenantId; // the panel may have come first
    }
  }

  async function loadPanel() {
    const html = await Api.getHtml(body.dataset.panelUrl + Period.query(state.period));
    const template = document.createElement("template");
    template.innerHTML = html; // our own server-rendered, auto-escaped template
    panelHost.replaceChildren(template.content);
    const panel = document.getElementById("tenant-panel");
    state.panel = panel;
    View.view.currency = panel.dataset.baseCurrency;
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
    View.renderAccountList(await Api.getJson(ENDPOINTS.accountList));
  }

  /** The dashboard answer the panel brought along (same body and ETag as the API's). */
  function inlineAnswer() {
    const script = document.getElementById("dashboard-data");
    if (!script) {
      return null;
    }
    const answer = { etag: state.panel.dataset.dashboardEtag, body: JSON.parse(script.textContent) };
    script.remove(); // used once: a reload brings a new panel
    return answer;
  }

  async function loadDashboard() {
    let answer = inlineAnswer();
    try {
      answer = answer || (await Api.getIfChanged(ENDPOINTS.dashboard + Period.query(state.period), ""));
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
    await afterPaint();
    Charts.spending(answer.body.transactions, answer.body.currency);
    await loadTrends();
    startPolling();
  }

  /** Resolves once the browser has painted what is on the page now. */
  function afterPaint() {
    return new Promise((resolve) => window.requestAnimationFrame(() => window.setTimeout(resolve)));
  }

  function renderDashboard(data) {
    View.view.currency = data.currency;
    View.view.periodName = state.period.period;
    View.renderPeriod(data.period, data.generated_at);
    View.renderWarnings(data.warnings);
    View.renderSummary(data.summary);
    View.renderAccounts(data.accounts);
    View.renderBudgets(data.budgets);
    View.renderTransactions(data.transactions);
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
    const end = View.view.periodEnd;
    const [series, trend, budgets] = await Promise.all([
      Api.getJson(ENDPOINTS.netWorth + "?months=12&end=" + end),
      Api.getJson(ENDPOINTS.transactions + "?start=" + twelveMonthsBefore(end) + "&end=" + end),
      Api.getJson(ENDPOINTS.budgets + "?period=current_month"),
    ]);
    Charts.trends(series, trend, budgets, View.view.currency);
    await window.FindashCharts.ready(); // Chart.js loaded and every chart drawn
  }

  // ---- live updates: conditional GET with the last ETag, cheap as a 304 -------------

  async function poll() {
    if (document.hidden || state.loads > 0 || !state.etag) {
      return;
    }
    const answer = await Api.getIfChanged(ENDPOINTS.dashboard + Period.query(state.period), state.etag);
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
      Charts.spending(answer.body.transactions, answer.body.currency);
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
    summary: async () => View.renderSummary(await Api.getJson(ENDPOINTS.summary + Period.query(state.period))),
    accounts: async () =>
      View.renderAccounts(await Api.getJson(ENDPOINTS.accounts + Period.query(state.period))),
    budgets: async () => View.renderBudgets(await Api.getJson(ENDPOINTS.budgets + Period.query(state.period))),
    transactions: async () => {
      const summary = await Api.getJson(ENDPOINTS.transactions + Period.query(state.period));
      View.renderTransactions(summary);
      Charts.spending(summary, View.view.currency);
    },
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
    Period.write(state.period);
    await run(async () => {
      let enabled;
      try {
        enabled = await loadPanel();
      } catch (error) {
        if (error instanceof Api.ApiError && error.status === 403 && Api.tenantGet()) {
          // No longer a member of the remembered tenant: fall back to the personal one.
          Api.tenantSet("");
          Period.write(state.period);
          enabled = await loadPanel();
        } else {
          throw error;
        }
      }
      Period.write(state.period);
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
  state.period = Period.read();
  syncControls();
  // Side by side: the workspace list is not needed for the figures (a remembered workspace
  // that is gone answers 403 to the panel, and loadAll falls back to the personal one).
  run(loadTenants);
  loadAll();
})();
