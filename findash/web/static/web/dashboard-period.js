/*
 * The dashboard's period (named or custom) and workspace as they appear in the page's URL,
 * and as the API's query string.
 */
(function (root) {
  "use strict";

  const Api = root.FindashApi;
  const NAMED_PERIODS = ["current_month", "last_month", "last_30_days", "last_90_days",
    "year_to_date", "last_year", "last_12_months"];

  /** The period in the page's URL (and the workspace it names, remembered). */
  function read() {
    const params = new URLSearchParams(root.location.search);
    const start = params.get("start") || "";
    const end = params.get("end") || "";
    const tenant = params.get("tenant");
    if (tenant) {
      Api.tenantSet(tenant);
    }
    if (start && end) {
      return { period: "custom", start: start, end: end };
    }
    const named = params.get("period");
    return {
      period: NAMED_PERIODS.indexOf(named) !== -1 ? named : "current_month",
      start: "",
      end: "",
    };
  }

  /** Puts the period and workspace in the URL, so the view can be bookmarked. */
  function write(period) {
    const params = new URLSearchParams();
    const tenant = Api.tenantGet();
    if (tenant) {
      params.set("tenant", tenant);
    }
    if (period.period === "custom") {
      params.set("start", period.start);
      params.set("end", period.end);
    } else if (period.period !== "current_month") {
      params.set("period", period.period);
    }
    const search = params.toString();
    root.history.replaceState(null, "", root.location.pathname + (search ? "?" + search : ""));
    root.FindashShell.syncNav();
  }

  /** The API query string for the period. */
  function query(period) {
    const params = new URLSearchParams();
    if (period.period === "custom") {
      params.set("start", period.start);
      params.set("end", period.end);
    } else {
      params.set("period", period.period);
    }
    return "?" + params.toString();
  }

  root.FindashDashboardPeriod = { read: read, write: write, query: query };
})(window);
