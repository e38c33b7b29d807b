/*
 * What every page of the app shares: the session check, the workspace (?tenant= in the
 * URL, so a page is bookmarkable), the section links that keep it, and log out.
 */
(function (root) {
  "use strict";

  const Api = root.FindashApi;
  const body = document.body;

  function toLogin() {
    const next = root.location.pathname + root.location.search;
    root.location.assign((body.dataset.loginUrl || "/app/login/") + "?next=" + encodeURIComponent(next));
  }

  /** The section links carry the workspace, so moving between pages keeps it. */
  function syncNav() {
    const tenant = Api.tenantGet();
    document.querySelectorAll(".app-nav a[data-nav]").forEach((link) => {
      if (link.dataset.nav === "docs") {
        return;
      }
      const url = new URL(link.getAttribute("href"), root.location.href);
      url.search = tenant ? "?tenant=" + encodeURIComponent(tenant) : "";
      link.setAttribute("href", url.pathname + url.search);
    });
  }

  function readTenantFromUrl() {
    const tenant = new URLSearchParams(root.location.search).get("tenant");
    if (tenant) {
      Api.tenantSet(tenant);
    }
  }

  /** Fills the workspace selector from GET /tenants; calls onChange after a switch. */
  async function loadTenants(select, onChange) {
    const page = await Api.getJson("/tenants?limit=500");
    const current = Api.tenantGet();
    if (current && !page.items.some((t) => t.tenant_id === current)) {
      Api.tenantSet("");
    }
    select.replaceChildren(
      ...page.items.map((tenant) => {
        const kind = tenant.tenant_type === "organization" ? "organization" : "personal";
        const option = document.createElement("option");
        option.textContent = tenant.name + " (" + kind + ", " + tenant.role + ")";
        option.value = tenant.tenant_id;
        return option;
      })
    );
    select.disabled = page.items.length < 2;
    if (!select.dataset.listening) {
      select.dataset.listening = "true";
      select.addEventListener("change", () => {
        Api.tenantSet(select.value);
        onChange();
      });
    }
  }

  function bindLogout() {
    const button = document.getElementById("logout-button");
    if (button) {
      button.addEventListener("click", async () => {
        await Api.logout(); // ends the session on the server too
        root.location.assign(body.dataset.loginUrl || "/app/login/");
      });
    }
  }

  root.FindashShell = {
    bindLogout: bindLogout,
    loadTenants: loadTenants,
    readTenantFromUrl: readTenantFromUrl,
    syncNav: syncNav,
    toLogin: toLogin,
  };
})(window);
