/*
 * The import page: preview a bank file (POST /imports with dry_run=true), show which rows
 * are new and which are duplicates, then commit the same file. Export links download
 * through the API with the bearer token. API data reaches the page only via textContent.
 */
(function () {
  "use strict";

  const Api = window.FindashApi;
  const body = document.body;
  const form = document.getElementById("import-form");
  const accountSelect = document.getElementById("import-account");
  const formatSelect = document.getElementById("import-format");
  const fileInput = document.getElementById("import-file");
  const mappingBox = document.getElementById("csv-mapping");
  const commitButton = document.getElementById("commit-button");
  const preview = document.getElementById("preview");
  const message = document.getElementById("message");
  const MAPPING_FIELDS = ["date", "amount", "description", "payee", "date_format",
    "decimal_separator", "thousands_separator", "delimiter", "sign", "encoding"];
  const MAPPING_DEFAULTS = { decimal_separator: ".", thousands_separator: "", delimiter: ",",
    sign: "inflow_positive" };

  function show(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  function toLogin() {
    window.location.assign(body.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname));
  }

  function failed(error) {
    if (error instanceof Api.SessionExpired) {
      toLogin();
      return;
    }
    show(error.message || String(error));
  }

  function mapping() {
    const chosen = {};
    MAPPING_FIELDS.forEach((name) => {
      const value = form.elements[name].value;
      if (value !== "" && value !== MAPPING_DEFAULTS[name]) {
        chosen[name] = value;
      } else if (name in MAPPING_DEFAULTS && value !== MAPPING_DEFAULTS[name]) {
        chosen[name] = value;
      }
    });
    return Object.keys(chosen).length ? JSON.stringify(chosen) : "";
  }

  function upload(dryRun) {
    const data = new FormData();
    data.append("file", fileInput.files[0]);
    data.append("account_id", accountSelect.value);
    data.append("format", formatSelect.value);
    data.append("dry_run", dryRun ? "true" : "false");
    if (formatSelect.value === "csv") {
      const chosen = mapping();
      if (chosen) {
        data.append("mapping", chosen);
      }
    }
    return Api.send("/imports", { method: "POST", body: data });
  }

  function cell(text) {
    const td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function renderPreview(result) {
    preview.textContent = "";
    const summary = document.createElement("p");
    summary.id = "preview-summary";
    summary.textContent = result.dry_run
      ? result.created + " new, " + result.duplicates + " already imported (skipped)."
      : "Imported " + result.created + " transactions; skipped " + result.duplicates + " duplicates.";
    preview.appendChild(summary);
    if (!result.dry_run) {
      commitButton.textContent = "Import";
      return;
    }
    const table = document.createElement("table");
    const head = document.createElement("tr");
    ["Row", "Date", "Amount", "Payee", "Description", "Status"].forEach((label) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = label;
      head.appendChild(th);
    });
    table.appendChild(head);
    result.rows.forEach((row) => {
      const tr = document.createElement("tr");
      tr.className = row.status === "duplicate" ? "row-duplicate" : "row-new";
      [row.where, row.date, row.amount + " " + result.currency, row.payee, row.description,
        row.status === "duplicate" ? "duplicate" : "new"].forEach((text) => tr.appendChild(cell(text)));
      table.appendChild(tr);
    });
    preview.appendChild(table);
    commitButton.disabled = result.created === 0;
    commitButton.textContent = "Import " + result.created + " transactions";
  }

  async function submit(dryRun) {
    show("");
    commitButton.disabled = true;
    try {
      const answer = await upload(dryRun);
      if (answer.status >= 400) {
        show(Api.detailText(answer.body) || "The server answered HTTP " + answer.status + ".");
        return;
      }
      renderPreview(answer.body);
    } catch (error) {
      failed(error);
    }
  }

  async function download(link) {
    show("");
    try {
      const answer = await Api.send(link.getAttribute("href"), { method: "GET", raw: true });
      if (answer.status >= 400) {
        show("The export failed: HTTP " + answer.status + ".");
        return;
      }
      const url = URL.createObjectURL(answer.blob);
      const anchor = document.createElement("a");
      anchor.href = url;
      anchor.download = link.dataset.download;
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error) {
      failed(error);
    }
  }

  async function loadAccounts() {
    try {
      const accounts = await Api.getJson("/accounts?limit=500");
      accountSelect.textContent = "";
      accounts.items.filter((a) => !a.is_archived).forEach((account) => {
        const option = document.createElement("option");
        option.value = String(account.id);
        option.textContent = account.name + " (" + account.currency + ")";
        accountSelect.appendChild(option);
      });
    } catch (error) {
      failed(error);
    }
  }

  if (!Api.hasSession()) {
    toLogin();
    return;
  }
  formatSelect.addEventListener("change", () => {
    mappingBox.hidden = formatSelect.value !== "csv";
  });
  fileInput.addEventListener("change", () => {
    commitButton.disabled = true;
    const name = (fileInput.files[0] && fileInput.files[0].name.toLowerCase()) || "";
    const guess = { ofx: "ofx", qfx: "qfx", xml: "camt053", csv: "csv" }[name.split(".").pop()];
    if (guess) {
      formatSelect.value = guess;
      mappingBox.hidden = guess !== "csv";
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(true);
  });
  commitButton.addEventListener("click", () => submit(false));
  document.querySelectorAll("a[data-download]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      download(link);
    });
  });
  loadAccounts();
})();
