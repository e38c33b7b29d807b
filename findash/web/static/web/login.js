/* The login page: POST /auth/token, keep the pair, go to the dashboard (or ?next=). */
(function () {
  "use strict";

  const Api = window.FindashApi;
  const form = document.getElementById("login-form");
  const errorBox = document.getElementById("login-error");
  const submit = document.getElementById("login-submit");
  const dashboardUrl = document.body.dataset.dashboardUrl || "/app/";

  /** Only a path of this app is a place to return to (no open redirect). */
  function nextUrl() {
    const next = new URLSearchParams(window.location.search).get("next") || "";
    return next.startsWith(dashboardUrl) && !next.startsWith("//") ? next : dashboardUrl;
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
  }

  function failureText(answer) {
    if (answer.status === 401) {
      return "Wrong username or password.";
    }
    if (answer.status === 429) {
      const wait = answer.headers.get("Retry-After");
      return (
        "Too many login attempts. Try again" + (wait ? " in " + wait + " seconds." : " later.")
      );
    }
    return Api.detailText(answer.body) || "Logging in failed (HTTP " + answer.status + ").";
  }

  // The button starts disabled so that nothing is posted before this script listens.
  submit.disabled = false;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    const username = form.elements.username.value.trim();
    const password = form.elements.password.value;
    if (!username || !password) {
      showError("Enter your username and password.");
      (username ? form.elements.password : form.elements.username).focus();
      return;
    }
    submit.disabled = true;
    try {
      const answer = await Api.login(username, password);
      if (answer.status === 200) {
        window.location.assign(nextUrl());
        return;
      }
      showError(failureText(answer));
      form.elements.password.select();
    } catch (error) {
      showError("Cannot reach the server. Check your connection and try again.");
    } finally {
      submit.disabled = false;
    }
  });
})();
