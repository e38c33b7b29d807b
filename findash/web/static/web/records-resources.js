/*
 * What each data page lists and edits: its API path, columns, filters and form fields
 * (records.js is the one generic list and form that works through them). A new page adds
 * an entry here and a row in views.SECTIONS.
 */
(function (root) {
  "use strict";

  const F = root.FindashFormat;
  const Ui = root.FindashUi;
  const el = Ui.el;

  const ACCOUNT_TYPES = [["checking", "Checking"], ["savings", "Savings"], ["cash", "Cash"],
    ["investment", "Investment"], ["credit_card", "Credit card"], ["loan", "Loan"], ["other", "Other"]];
  const KINDS = [["expense", "Expense"], ["income", "Income"]];
  const ROLLOVERS = [["none", "None"], ["surplus", "Unspent carries forward"],
    ["full", "Unspent and overspent carry forward"]];
  const STATUS_LABELS = { ok: "OK", warning: "Warning", over: "Over" };

  const lookups = { accounts: new Map(), categories: new Map(), budgetStatus: new Map() };

  function label(pairs, value) {
    const found = pairs.find((pair) => pair[0] === value);
    return found ? found[1] : value;
  }
  function accountOptions() {
    return Array.from(lookups.accounts.values()).map((a) => [String(a.id), a.name + " (" + a.currency + ")"]);
  }
  function categoryOptions() {
    return Array.from(lookups.categories.values()).map((c) => [String(c.id), c.name + " · " + label(KINDS, c.kind)]);
  }
  function categoryName(id) {
    const found = id === null ? null : lookups.categories.get(id);
    return found ? found.name : id === null ? "Uncategorized" : "#" + id;
  }
  const today = () => new Date().toISOString().slice(0, 10);

  function statusCell(budget, text) {
    const status = lookups.budgetStatus.get(budget.id);
    return el("td", { text: status ? text(status) : "—", className: "num" });
  }

  function statusBadge(budget) {
    const status = lookups.budgetStatus.get(budget.id);
    if (!status) {
      return el("td", { text: "—" });
    }
    return el("td", {}, [el("span", { text: STATUS_LABELS[status.status] || status.status, className: "badge badge-" + status.status })]);
  }

  /**
   * The resources, given what only the page knows: its state (the base currency) and the
   * in-place category control of a transaction row.
   */
  function resources(page) {
    const state = page.state;
    const categorizeCell = page.categorizeCell;
    const RESOURCES = {
      transactions: {
        endpoint: "/transactions",
        noun: "transaction",
        filters: [
          { name: "account_id", label: "Account", type: "select", options: accountOptions, blank: "All accounts" },
          { name: "category_id", label: "Category", type: "select", options: categoryOptions, blank: "All categories" },
          { name: "start", label: "From", type: "date" },
          { name: "end", label: "To", type: "date" },
          { name: "min_amount", label: "Amount at least", type: "amount" },
          { name: "max_amount", label: "Amount at most", type: "amount" },
          { name: "q", label: "Text (payee, description)", type: "search" },
        ],
        columns: [
          { label: "Date", cell: (t) => el("td", { text: F.date(t.date), className: "nowrap" }) },
          { label: "Payee", head: true, cell: (t) => el("th", { text: t.payee || t.description || "(no payee)", attrs: { scope: "row" } }) },
          { label: "Account", cell: (t) => el("td", { text: (lookups.accounts.get(t.account_id) || { name: "#" + t.account_id }).name }) },
          { label: "Category", cell: (t, canEdit) => canEdit && !t.transfer_id ? categorizeCell(t) : el("td", { text: t.transfer_id ? "Transfer" : categoryName(t.category_id) }) },
          { num: true, label: "Amount", cell: (t) => Ui.moneyCell(t.amount, t.currency) },
        ],
        fields: [
          { name: "account_id", label: "Account", type: "select", options: accountOptions, required: true, number: true },
          { name: "date", label: "Date", type: "date", required: true, initial: today },
          { name: "amount", label: "Amount (negative for money out)", type: "amount", required: true, signed: true },
          { name: "category_id", label: "Category", type: "select", options: categoryOptions, blank: "Uncategorized", number: true },
          { name: "payee", label: "Payee", type: "text" },
          { name: "description", label: "Description", type: "text" },
        ],
        describe: (t) => (t.payee || t.description || "transaction") + " on " + F.date(t.date),
        editable: (t) => !t.transfer_id,
      },
      accounts: {
        endpoint: "/accounts",
        noun: "account",
        columns: [
          { label: "Account", head: true, cell: (a) => el("th", { text: a.name, attrs: { scope: "row" } }) },
          { label: "Type", cell: (a) => el("td", { text: label(ACCOUNT_TYPES, a.type) }) },
          { label: "Currency", cell: (a) => el("td", { text: a.currency }) },
          { num: true, label: "Opening balance", cell: (a) => Ui.moneyCell(a.opening_balance, a.currency) },
          { label: "Status", cell: (a) => el("td", { text: a.is_archived ? "Archived" : "Active" }) },
        ],
        fields: [
          { name: "name", label: "Name", type: "text", required: true },
          { name: "type", label: "Type", type: "select", options: () => ACCOUNT_TYPES, required: true },
          { name: "currency", label: "Currency (ISO 4217)", type: "currency", required: true, initial: () => state.baseCurrency },
          { name: "opening_balance", label: "Opening balance", type: "amount", signed: true, initial: () => "0.00" },
          { name: "is_archived", label: "Archived", type: "checkbox" },
        ],
        describe: (a) => a.name,
      },
      categories: {
        endpoint: "/categories",
        noun: "category",
        columns: [
          { label: "Category", head: true, cell: (c) => el("th", { text: c.name, attrs: { scope: "row" } }) },
          { label: "Kind", cell: (c) => el("td", { text: label(KINDS, c.kind) }) },
          { label: "Parent", cell: (c) => el("td", { text: c.parent_id === null ? "—" : categoryName(c.parent_id) }) },
        ],
        fields: [
          { name: "name", label: "Name", type: "text", required: true },
          { name: "kind", label: "Kind", type: "select", options: () => KINDS, required: true },
          { name: "parent_id", label: "Parent", type: "select", options: categoryOptions, blank: "None", number: true },
        ],
        describe: (c) => c.name,
      },
      budgets: {
        endpoint: "/budgets",
        noun: "budget",
        columns: [
          { label: "Category", head: true, cell: (b) => el("th", { text: categoryName(b.category_id), attrs: { scope: "row" } }) },
          { num: true, label: "Monthly limit", cell: (b) => Ui.moneyCell(b.amount, b.currency) },
          { num: true, label: "Spent this month", cell: (b) => statusCell(b, (s) => F.money(s.spent, s.currency || b.currency)) },
          { num: true, label: "Used", cell: (b) => statusCell(b, (s) => s.percent_used === null ? "—" : F.percent(s.percent_used)) },
          { label: "Status", cell: (b) => statusBadge(b) },
          { num: true, label: "Alert at", cell: (b) => el("td", { text: F.decimal(b.alert_threshold) + " %", className: "num" }) },
          { label: "Rollover", cell: (b) => el("td", { text: label(ROLLOVERS, b.rollover) }) },
        ],
        fields: [
          { name: "category_id", label: "Category", type: "select", options: categoryOptions, required: true, number: true },
          { name: "amount", label: "Monthly limit", type: "amount", required: true },
          { name: "alert_threshold", label: "Alert at (% used)", type: "amount", initial: () => "80" },
          { name: "rollover", label: "Rollover", type: "select", options: () => ROLLOVERS, required: true },
          { name: "start_date", label: "Starts", type: "date" },
        ],
        describe: (b) => "budget for " + categoryName(b.category_id),
      },
    };
    return RESOURCES;
  }

  root.FindashRecordResources = {
    resources: resources,
    lookups: lookups,
    categoryOptions: categoryOptions,
  };
})(window);
