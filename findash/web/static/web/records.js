/*
 * The pages to work with the data: one generic list + form over an API resource, with a
 * description per resource below. Everything goes through the same JSON API and its
 * permissions: a viewer gets no edit controls, and the API refuses their writes anyway.
 * A new page adds a template row (views.SECTIONS) and an entry in records-resources.js.
 */
(function () {
  "use strict";

  const Api = window.FindashApi;
  const Ui = window.FindashUi;
  const Shell = window.FindashShell;
  const el = Ui.el;
  const PAGE_SIZE = 50;

  const R = window.FindashRecordResources;
  const lookups = R.lookups;
  const categoryOptions = R.categoryOptions;
  const table = document.getElementById("records-table");
  const form = document.getElementById("record-form");
  const fieldsHost = document.getElementById("record-fields");
  const editor = document.getElementById("editor");
  const filtersForm = document.getElementById("filters");
  const statusLine = document.getElementById("status");
  const main = document.getElementById("content");
  const state = { canEdit: false, baseCurrency: "", offset: 0, count: 0, editing: null, filters: {}, listRequests: 0 };
  const RESOURCES = R.resources({ state: state, categorizeCell: (txn) => categorizeCell(txn) });
  const resource = RESOURCES[document.body.dataset.resource];

  // ---- cells needing the page's state ------------------------------------------------


  function categorizeCell(txn) {
    const select = el("select", { attrs: { "aria-label": "Category of " + RESOURCES.transactions.describe(txn), "data-categorize": txn.id } });
    [["", "Uncategorized"]].concat(categoryOptions()).forEach(([value, text]) => {
      const option = el("option", { text: text });
      option.value = value;
      select.appendChild(option);
    });
    select.value = txn.category_id === null ? "" : String(txn.category_id);
    select.addEventListener("change", async () => {
      try {
        await Api.patch("/transactions/" + txn.id, { category_id: select.value ? Number(select.value) : null });
        say("Category saved.");
      } catch (error) {
        handleError(error);
      }
    });
    return el("td", {}, [select]);
  }

  // ---- messages ------------------------------------------------------------------------

  function say(text) {
    statusLine.textContent = text;
  }

  function handleError(error) {
    if (error instanceof Api.SessionExpired) {
      Shell.toLogin();
      return;
    }
    Ui.showMessage(error instanceof Api.ApiError ? error.message : "Cannot reach the server. Check your connection and try again.");
  }

  // ---- inputs ----------------------------------------------------------------------------

  function input(field, prefix, value) {
    const id = prefix + "-" + field.name;
    let control;
    if (field.type === "select") {
      control = el("select", { attrs: { id: id, name: field.name, required: field.required } });
      const options = (field.blank ? [["", field.blank]] : []).concat(field.options());
      options.forEach(([optionValue, text]) => {
        const option = el("option", { text: text });
        option.value = optionValue;
        control.appendChild(option);
      });
    } else if (field.type === "checkbox") {
      control = el("input", { attrs: { id: id, name: field.name, type: "checkbox" } });
      control.checked = Boolean(value);
      return el("p", { className: "checkbox" }, [control, el("label", { text: field.label, attrs: { for: id } })]);
    } else {
      const types = { amount: "text", currency: "text", search: "search" };
      control = el("input", {
        attrs: {
          id: id,
          name: field.name,
          type: types[field.type] || field.type,
          required: field.required,
          inputmode: field.type === "amount" ? "decimal" : undefined,
          maxlength: field.type === "currency" ? 3 : undefined,
          autocomplete: "off",
        },
      });
    }
    if (value !== undefined && value !== null) {
      control.value = String(value);
    }
    return el("p", {}, [el("label", { text: field.label, attrs: { for: id } }), control]);
  }

  function formValue(field, control) {
    if (field.type === "checkbox") {
      return control.checked;
    }
    const raw = control.value.trim();
    if (raw === "") {
      return field.type === "select" && field.blank ? null : undefined;
    }
    if (field.number) {
      return Number(raw);
    }
    return field.type === "currency" ? raw.toUpperCase() : raw;
  }

  // ---- the list ----------------------------------------------------------------------------

  function listQuery() {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(state.offset) });
    Object.entries(state.filters).forEach(([name, value]) => value && params.set(name, value));
    return "?" + params.toString();
  }

  function writeUrl() {
    const params = new URLSearchParams();
    if (Api.tenantGet()) {
      params.set("tenant", Api.tenantGet());
    }
    Object.entries(state.filters).forEach(([name, value]) => value && params.set(name, value));
    if (state.offset) {
      params.set("offset", String(state.offset));
    }
    const query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    Shell.syncNav();
  }

  function rowFor(record) {
    const cells = resource.columns.map((column) => column.cell(record, state.canEdit));
    if (state.canEdit) {
      const actions = el("td", { className: "row-actions" });
      if (!resource.editable || resource.editable(record)) {
        const edit = el("button", { text: "Edit", className: "secondary", attrs: { type: "button", "aria-label": "Edit " + resource.describe(record), "data-edit": record.id } });
        edit.addEventListener("click", () => openEditor(record));
        actions.appendChild(edit);
      }
      const remove = el("button", { text: "Delete", className: "secondary", attrs: { type: "button", "aria-label": "Delete " + resource.describe(record), "data-delete": record.id } });
      remove.addEventListener("click", () => confirmDelete(remove, record));
      actions.appendChild(remove);
      cells.push(actions);
    }
    return el("tr", { attrs: { "data-id": record.id } }, cells);
  }

  async function loadList() {
    main.setAttribute("aria-busy", "true");
    const asked = ++state.listRequests;
    try {
      const page = await Api.getJson(resource.endpoint + listQuery());
      if (asked !== state.listRequests) {
        return; // a newer list (other filters or page) was asked for meanwhile
      }
      state.count = page.count;
      Ui.fillRows(table, page.items.map(rowFor), "Nothing here yet.");
      const pager = document.getElementById("pager");
      pager.hidden = page.count <= PAGE_SIZE && state.offset === 0;
      document.getElementById("page-caption").textContent = page.count === 0 ? "0 of 0" :
        state.offset + 1 + "–" + (state.offset + page.items.length) + " of " + page.count;
      document.getElementById("prev-page").disabled = state.offset === 0;
      document.getElementById("next-page").disabled = state.offset + PAGE_SIZE >= page.count;
      writeUrl();
    } finally {
      if (asked === state.listRequests) {
        main.setAttribute("aria-busy", "false");
      }
    }
  }

  function buildHead() {
    const row = table.tHead.rows[0];
    row.replaceChildren(...resource.columns.map((c) => el("th", { text: c.label, className: c.num ? "num" : "", attrs: { scope: "col" } })));
    if (state.canEdit) {
      row.appendChild(el("th", { text: "Actions", attrs: { scope: "col" } }));
    }
  }

  // ---- the editor ------------------------------------------------------------------------

  function openEditor(record) {
    state.editing = record;
    document.getElementById("editor-title").textContent = record ? "Edit " + resource.describe(record) : "Add a " + resource.noun;
    fieldsHost.replaceChildren(...resource.fields.map((field) => {
      let value = record ? record[field.name] : field.initial ? field.initial() : undefined;
      return input(field, "record", value);
    }));
    document.getElementById("form-error").hidden = true;
    editor.hidden = false;
    fieldsHost.querySelector("input, select").focus();
  }

  function closeEditor() {
    editor.hidden = true;
    state.editing = null;
    document.getElementById("add-button").focus();
  }

  function showFieldErrors(error) {
    const box = document.getElementById("form-error");
    box.textContent = error.message;
    box.hidden = false;
    if (Array.isArray(error.detail)) {
      error.detail.forEach((item) => {
        const name = Array.isArray(item.loc) ? item.loc[item.loc.length - 1] : "";
        const control = form.elements.namedItem(String(name));
        if (control && control.setAttribute) {
          control.setAttribute("aria-invalid", "true");
        }
      });
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = {};
    resource.fields.forEach((field) => {
      const control = form.elements.namedItem(field.name);
      control.removeAttribute("aria-invalid");
      const value = formValue(field, control);
      if (value !== undefined) {
        data[field.name] = value;
      }
    });
    if (resource === RESOURCES.transactions && data.account_id) {
      data.currency = lookups.accounts.get(data.account_id).currency;
    }
    const save = document.getElementById("save-button");
    save.disabled = true;
    try {
      if (state.editing) {
        await Api.patch(resource.endpoint + "/" + state.editing.id, data);
        say("Saved.");
      } else {
        await Api.post(resource.endpoint, data);
        say("Added.");
      }
      closeEditor();
      await reloadAll();
    } catch (error) {
      if (error instanceof Api.ApiError) {
        showFieldErrors(error);
      } else {
        handleError(error);
      }
    } finally {
      save.disabled = false;
    }
  });

  function confirmDelete(button, record) {
    if (button.dataset.armed !== "true") {
      button.dataset.armed = "true";
      button.textContent = "Confirm delete";
      window.setTimeout(() => {
        button.dataset.armed = "false";
        button.textContent = "Delete";
      }, 5000);
      return;
    }
    Api.remove(resource.endpoint + "/" + record.id)
      .then(() => {
        say("Deleted " + resource.describe(record) + ".");
        return reloadAll();
      })
      .catch(handleError);
  }

  // ---- filters ---------------------------------------------------------------------------

  function buildFilters() {
    if (!resource.filters) {
      return;
    }
    filtersForm.replaceChildren(
      ...resource.filters.map((field) => input(field, "filter", state.filters[field.name] || "")),
      el("p", { className: "form-buttons" }, [
        el("button", { text: "Filter", attrs: { type: "submit" } }),
        el("button", { text: "Clear", className: "secondary", attrs: { type: "reset" } }),
      ])
    );
    filtersForm.hidden = false;
  }

  function readFilters() {
    const params = new URLSearchParams(window.location.search);
    (resource.filters || []).forEach((field) => {
      if (params.get(field.name)) {
        state.filters[field.name] = params.get(field.name);
      }
    });
    state.offset = Math.max(0, Number(params.get("offset")) || 0);
  }

  filtersForm.addEventListener("submit", (event) => {
    event.preventDefault();
    resource.filters.forEach((field) => {
      state.filters[field.name] = filtersForm.elements.namedItem(field.name).value.trim();
    });
    state.offset = 0;
    loadList().catch(handleError);
  });

  filtersForm.addEventListener("reset", () => {
    state.filters = {};
    state.offset = 0;
    window.setTimeout(() => loadList().catch(handleError), 0);
  });

  // ---- start -----------------------------------------------------------------------------

  async function loadLookups() {
    const [info, accounts, categories] = await Promise.all([
      Api.getJson("/tenant/info"),
      Api.getJson("/accounts?limit=500"),
      Api.getJson("/categories?limit=500"),
    ]);
    state.canEdit = info.role !== "viewer";
    if (!Api.tenantGet()) {
      Api.tenantSet(info.tenant_id);
    }
    document.getElementById("tenant-select").value = info.tenant_id;
    state.baseCurrency = info.base_currency;
    lookups.accounts = new Map(accounts.items.map((a) => [a.id, a]));
    lookups.categories = new Map(categories.items.map((c) => [c.id, c]));
    lookups.budgetStatus = new Map();
    if (resource === RESOURCES.budgets) {
      try {
        const status = await Api.getJson("/financial/dashboard/budgets?period=current_month");
        lookups.budgetStatus = new Map(status.map((s) => [s.budget_id, s]));
      } catch (error) {
        if (!(error instanceof Api.ApiError && error.status === 404)) {
          throw error; // 404: the dashboard is off for this workspace, so no status column data
        }
      }
    }
    document.getElementById("role-caption").textContent = info.name + " · your role: " + info.role +
      (state.canEdit ? "" : " (read only)");
    document.getElementById("add-button").hidden = !state.canEdit;
  }

  async function reloadAll() {
    await loadLookups();
    buildHead();
    await loadList();
  }

  document.getElementById("add-button").addEventListener("click", () => openEditor(null));
  document.getElementById("cancel-button").addEventListener("click", closeEditor);
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      closeEditor();
    }
  });
  document.getElementById("prev-page").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE);
    loadList().catch(handleError);
  });
  document.getElementById("next-page").addEventListener("click", () => {
    state.offset += PAGE_SIZE;
    loadList().catch(handleError);
  });

  if (!Api.hasSession()) {
    Shell.toLogin();
    return;
  }
  Shell.readTenantFromUrl();
  Shell.bindLogout();
  readFilters();
  const select = document.getElementById("tenant-select");
  Shell.loadTenants(select, () => {
    state.offset = 0;
    reloadAll().catch(handleError);
  })
    .then(async () => {
      await reloadAll();
      buildFilters();
    })
    .catch(handleError);
})();
