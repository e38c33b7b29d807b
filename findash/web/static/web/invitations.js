/* The invitations page: GET /invitations, then accept or decline each one. */
(function () {
  "use strict";

  const Api = window.FindashApi;
  const body = document.body;
  const list = document.getElementById("invitations");
  const empty = document.getElementById("invitations-empty");
  const message = document.getElementById("message");
  const template = document.getElementById("invitation-template");

  function showMessage(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  function toLogin() {
    const next = encodeURIComponent(window.location.pathname);
    window.location.assign(body.dataset.loginUrl + "?next=" + next);
  }

  function failed(error) {
    if (error instanceof Api.SessionExpired) {
      toLogin();
      return;
    }
    showMessage(error.message || "Something went wrong. Please try again.");
  }

  function render(invitation) {
    const item = template.content.firstElementChild.cloneNode(true);
    // textContent only: names are other people's text.
    for (const field of item.querySelectorAll("[data-field]")) {
      const value = invitation[field.dataset.field];
      field.textContent = value === null || value === undefined ? "someone" : String(value);
    }
    item.querySelector("time").dateTime = invitation.created_at;
    for (const button of item.querySelectorAll("[data-action]")) {
      button.addEventListener("click", () => answer(invitation, button.dataset.action));
    }
    return item;
  }

  async function load() {
    list.setAttribute("aria-busy", "true");
    try {
      const page = await Api.getJson("/invitations?limit=500");
      list.replaceChildren(...page.items.map(render));
      empty.hidden = page.items.length > 0;
    } catch (error) {
      failed(error);
    } finally {
      list.setAttribute("aria-busy", "false");
    }
  }

  async function answer(invitation, action) {
    showMessage("");
    try {
      await Api.postAction("/invitations/" + encodeURIComponent(invitation.id) + "/" + action);
      showMessage(
        action === "accept"
          ? "You joined " + invitation.tenant_name + ". Pick it under Workspace on the dashboard."
          : "Declined."
      );
      await load();
    } catch (error) {
      failed(error);
    }
  }

  if (!Api.hasSession()) {
    toLogin();
    return;
  }
  load();
})();
