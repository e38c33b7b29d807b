/*
 * The browser's side of the API's auth: the token pair from POST /auth/token lives in
 * sessionStorage (this tab only); an expired or rejected access token is renewed once
 * through POST /auth/refresh, which rotates the pair (a refresh token works once, so
 * concurrent requests share one refresh).
 */
(function (root) {
  "use strict";

  const SESSION_KEY = "findash.session";
  const TENANT_KEY = "findash.tenant";
  const EXPIRY_MARGIN_MS = 15000;
  const TOKEN_URL = "/auth/token";
  const REFRESH_URL = "/auth/refresh";
  const LOGOUT_URL = "/auth/logout";

  class SessionExpired extends Error {
    constructor() {
      super("Your session has ended. Please log in again.");
      this.name = "SessionExpired";
    }
  }

  class ApiError extends Error {
    constructor(status, body) {
      super(detailText(body) || "The server answered HTTP " + status + ".");
      this.name = "ApiError";
      this.status = status;
      this.body = body;
      this.detail = body && typeof body === "object" ? body.detail : undefined;
    }
  }

  /** The API's error body as one sentence: {"detail": "..."} or a list of field errors. */
  function detailText(body) {
    if (!body || typeof body !== "object") {
      return "";
    }
    if (typeof body.detail === "string") {
      return body.detail;
    }
    if (Array.isArray(body.detail)) {
      return body.detail
        .map((error) => {
          const loc = Array.isArray(error.loc) ? error.loc[error.loc.length - 1] : "";
          return loc ? loc + ": " + error.msg : error.msg;
        })
        .join("; ");
    }
    return "";
  }

  function storage() {
    return root.sessionStorage;
  }

  function sessionLoad() {
    try {
      const session = JSON.parse(storage().getItem(SESSION_KEY) || "null");
      return session && session.access_token && session.refresh_token ? session : null;
    } catch (error) {
      return null;
    }
  }

  function sessionSave(pair) {
    const session = {
      access_token: pair.access_token,
      refresh_token: pair.refresh_token,
      expires_at: Date.now() + Number(pair.expires_in || 0) * 1000,
    };
    storage().setItem(SESSION_KEY, JSON.stringify(session));
  }

  function sessionClear() {
    storage().removeItem(SESSION_KEY);
    storage().removeItem(TENANT_KEY);
  }

  function tenantGet() {
    return storage().getItem(TENANT_KEY) || "";
  }

  function tenantSet(tenantId) {
    if (tenantId) {
      storage().setItem(TENANT_KEY, tenantId);
    } else {
      storage().removeItem(TENANT_KEY);
    }
  }

  async function readBody(response) {
    const type = response.headers.get("Content-Type") || "";
    if (type.indexOf("json") !== -1) {
      try {
        return await response.json();
      } catch (error) {
        return null;
      }
    }
    return response.text();
  }

  async function postJson(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
    });
    return { status: response.status, headers: response.headers, body: await readBody(response) };
  }

  /** POST /auth/token; keeps the pair on success. Answers {status, headers, body}. */
  async function login(username, password) {
    const answer = await postJson(TOKEN_URL, { username: username, password: password });
    if (answer.status === 200 && answer.body && answer.body.access_token) {
      sessionSave(answer.body);
      tenantSet("");
    }
    return answer;
  }

  let refreshing = null;

  /** POST /auth/refresh once for all callers; false (and the session cleared) if refused. */
  function refresh() {
    if (refreshing === null) {
      const session = sessionLoad();
      refreshing = (async () => {
        if (session === null) {
          return false;
        }
        const answer = await postJson(REFRESH_URL, { refresh_token: session.refresh_token });
        if (answer.status === 200 && answer.body && answer.body.access_token) {
          sessionSave(answer.body);
          return true;
        }
        sessionClear();
        return false;
      })().finally(() => {
        refreshing = null;
      });
    }
    return refreshing;
  }

  async function send(url, options) {
    const session = sessionLoad();
    if (session === null) {
      throw new SessionExpired();
    }
    const headers = { Accept: options.accept, Authorization: "Bearer " + session.access_token };
    const tenant = tenantGet();
    if (tenant) {
      headers["X-Tenant-ID"] = tenant;
    }
    const init = { method: options.method, headers: headers, credentials: "omit" };
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    if (options.etag !== undefined) {
      if (options.etag) {
        headers["If-None-Match"] = options.etag;
      }
      init.cache = "no-store"; // a 304 must reach us, not be turned into the cached 200
    }
    const response = await fetch(url, init);
    return { response: response, token: session.access_token };
  }

  /** A request with the bearer token, renewing it once on expiry or 401. Resolves to a Response. */
  async function authorized(url, options) {
    const session = sessionLoad();
    if (session === null) {
      throw new SessionExpired();
    }
    if (session.expires_at - EXPIRY_MARGIN_MS < Date.now() && !(await refresh())) {
      throw new SessionExpired();
    }
    let sent = await send(url, options);
    if (sent.response.status === 401) {
      const current = sessionLoad();
      // Another request may already have renewed the pair: then just retry with it.
      const renewed = current !== null && current.access_token !== sent.token;
      if (!renewed && !(await refresh())) {
        throw new SessionExpired();
      }
      sent = await send(url, options);
      if (sent.response.status === 401) {
        sessionClear();
        throw new SessionExpired();
      }
    }
    return sent.response;
  }

  function authorizedGet(url, accept, method) {
    return authorized(url, { method: method || "GET", accept: accept });
  }

  /** POST/PATCH/DELETE with a JSON body; resolves to the answer's JSON (null for 204). */
  async function write(method, url, body) {
    const response = await authorized(url, {
      method: method,
      accept: "application/json",
      body: body,
    });
    const answer = response.status === 204 ? null : await readBody(response);
    if (!response.ok) {
      throw new ApiError(response.status, answer);
    }
    return answer;
  }

  /** GET with If-None-Match: {changed: false} on 304, else {changed: true, etag, body}. */
  async function getIfChanged(url, etag) {
    const response = await authorized(url, {
      method: "GET",
      accept: "application/json",
      etag: etag || "",
    });
    if (response.status === 304) {
      return { changed: false, etag: etag };
    }
    const body = await readBody(response);
    if (!response.ok) {
      throw new ApiError(response.status, body);
    }
    return { changed: true, etag: response.headers.get("ETag") || "", body: body };
  }

  async function getJson(url) {
    const response = await authorizedGet(url, "application/json");
    const body = await readBody(response);
    if (!response.ok) {
      throw new ApiError(response.status, body);
    }
    return body;
  }

  /** POST without a body (an action such as accepting an invitation); resolves to the JSON. */
  async function postAction(url) {
    const response = await authorizedGet(url, "application/json", "POST");
    const body = await readBody(response);
    if (!response.ok) {
      throw new ApiError(response.status, body);
    }
    return body;
  }

  /** Ends the session on the server too (its refresh family and access tokens), then here. */
  async function logout() {
    const session = sessionLoad();
    sessionClear();
    if (session !== null) {
      try {
        await postJson(LOGOUT_URL, { refresh_token: session.refresh_token });
      } catch (error) {
        // Offline: the tokens expire on their own; this tab has forgotten them already.
      }
    }
  }

  async function getHtml(url) {
    const response = await authorizedGet(url, "text/html");
    const body = await readBody(response);
    if (!response.ok) {
      throw new ApiError(response.status, body);
    }
    return body;
  }

  /**
   * Any request with the bearer token (e.g. a multipart POST), renewing it once on 401.
   * Resolves to {status, body} (parsed JSON or text), or {status, blob} when init.raw.
   */
  async function authorizedSend(url, init) {
    const attempt = async () => {
      const session = sessionLoad();
      if (session === null) {
        throw new SessionExpired();
      }
      const headers = { Accept: "application/json", Authorization: "Bearer " + session.access_token };
      if (tenantGet()) {
        headers["X-Tenant-ID"] = tenantGet();
      }
      const response = await fetch(url, {
        method: init.method || "GET", body: init.body, headers: headers, credentials: "omit",
      });
      return { response: response, token: session.access_token };
    };
    let sent = await attempt();
    if (sent.response.status === 401) {
      const current = sessionLoad();
      const renewed = current !== null && current.access_token !== sent.token;
      if (!renewed && !(await refresh())) {
        throw new SessionExpired();
      }
      sent = await attempt();
    }
    const status = sent.response.status;
    if (init.raw && sent.response.ok) {
      return { status: status, blob: await sent.response.blob() };
    }
    return { status: status, body: await readBody(sent.response) };
  }

  root.FindashApi = {
    ApiError: ApiError,
    SessionExpired: SessionExpired,
    detailText: detailText,
    getHtml: getHtml,
    getIfChanged: getIfChanged,
    getJson: getJson,
    hasSession: () => sessionLoad() !== null,
    login: login,
    logout: logout,
    patch: (url, body) => write("PATCH", url, body),
    post: (url, body) => write("POST", url, body),
    postAction: postAction,
    remove: (url) => write("DELETE", url),
    send: authorizedSend,
    tenantGet: tenantGet,
    tenantSet: tenantSet,
  };
})(window);
