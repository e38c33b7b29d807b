/*
 * Small DOM helpers shared by the pages. API data only ever enters the page as
 * textContent or attribute values, never as HTML.
 */
(function (root) {
  "use strict";

  const F = root.FindashFormat;

  function el(tag, options, children) {
    const node = document.createElement(tag);
    const opts = options || {};
    if (opts.className) {
      node.className = opts.className;
    }
    if (opts.text !== undefined) {
      node.textContent = opts.text;
    }
    Object.entries(opts.attrs || {}).forEach(([name, value]) => {
      if (value !== undefined && value !== null && value !== false) {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    });
    (children || []).forEach((child) => node.appendChild(child));
    return node;
  }

  function moneyText(amount, currency) {
    return F.money(amount, currency);
  }

  function moneyCell(amount, currency) {
    const negative = F.isNegative(amount);
    return el("td", { text: F.money(amount, currency), className: "num" + (negative ? " negative" : "") });
  }

  /**
   * Each body cell gets its column's header as data-label: on a phone the rows become
   * stacked cards and the label stands before each value (app.css).
   */
  function labelCells(table) {
    const heads = Array.from(table.tHead ? table.tHead.rows[0].cells : []).map((th) =>
      th.textContent.trim()
    );
    Array.from(table.tBodies[0].rows).forEach((row) => {
      let column = 0;
      Array.from(row.cells).forEach((cell) => {
        if (heads[column] && !cell.hasAttribute("data-label") && cell.colSpan === 1) {
          cell.setAttribute("data-label", heads[column]);
        }
        column += cell.colSpan;
      });
    });
  }

  function fillRows(table, rows, emptyText) {
    const tbody = table.tBodies[0];
    tbody.replaceChildren();
    if (rows.length === 0) {
      const columns = table.tHead ? table.tHead.rows[0].cells.length : 1;
      const empty = el("td", { text: emptyText, className: "empty" });
      empty.colSpan = columns;
      tbody.appendChild(el("tr", {}, [empty]));
      return;
    }
    rows.forEach((row) => tbody.appendChild(row));
    labelCells(table);
  }

  function showMessage(text) {
    const message = document.getElementById("message");
    message.textContent = text;
    message.hidden = !text;
  }

  root.FindashUi = {
    el: el,
    fillRows: fillRows,
    labelCells: labelCells,
    moneyCell: moneyCell,
    moneyText: moneyText,
    showMessage: showMessage,
  };
})(window);
