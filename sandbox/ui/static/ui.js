// The dashboard's few behaviours htmx does not have: keep the credentials the
// user gives (in this tab's sessionStorage), send them with each fragment
// request and each control call, and make the control calls the buttons and
// forms describe. Every call goes to the endpoint a client would call.
(function () {
  "use strict";
  const KEY = "fintech-sandbox.credentials";
  const PLACEHOLDER = /\{(\w+)\}/g;

  function stored() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "{}"); } catch (e) { return {}; }
  }
  function store(value) { sessionStorage.setItem(KEY, JSON.stringify(value)); }
  function fill(template, values) {
    return template.replace(PLACEHOLDER, (whole, name) => (name in values ? values[name] : whole));
  }
  function credentialOf(provider) { return (stored().providers || {})[provider] || null; }
  function adminHeaders() {
    const token = stored().admin;
    return token ? {Authorization: "Bearer " + token} : {};
  }

  // -- fragments: the provider's credential (the tenant's view), else the admin token ----------------
  document.addEventListener("htmx:configRequest", (event) => {
    const path = event.detail.path.split("?")[0];
    const match = path.match(/^\/_sandbox\/ui\/([\w-]+)\//);
    const credential = match ? credentialOf(match[1]) : null;
    if (credential) {
      Object.assign(event.detail.headers, credential.headers, {"X-Sandbox-View": "tenant"});
      Object.assign(event.detail.parameters, credential.scope);
    } else {
      Object.assign(event.detail.headers, adminHeaders());
    }
  });

  // -- one control call, shown in "Last call" ---------------------------------------------------------
  function report(text) {
    const out = document.getElementById("last-call");
    if (out) { out.textContent = text; }
  }

  async function send(provider, method, template, body, contentType) {
    let headers = adminHeaders();
    let path = template;
    if (provider && provider !== "sandbox") {
      const credential = credentialOf(provider);
      if (!credential) {
        report(`${method} ${template}: this needs a ${provider} tenant's credential: give one above (or act as a tenant).`);
        return null;
      }
      const section = document.querySelector(`.provider[data-provider="${provider}"]`);
      path = fill(template.replace("{control}", section ? section.dataset.control : ""), credential.scope);
      headers = Object.assign({}, credential.headers);
    }
    const init = {method, headers};
    if (body !== null && body !== undefined) {
      headers["Content-Type"] = contentType || "application/json";
      init.body = typeof body === "string" ? body : JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const text = await response.text();
    let shown = text;
    try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
    report(`${method} ${path}\n→ ${response.status}\n${shown}`);
    htmx.trigger(document.body, "sandbox:changed");
    return {status: response.status, text};
  }

  function place(body, dotted, value) {
    const parts = dotted.split(".");
    let here = body;
    parts.slice(0, -1).forEach((part) => { here = here[part] = here[part] || {}; });
    here[parts[parts.length - 1]] = value;
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-call]");
    if (button) {
      event.preventDefault();
      if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) { return; }
      const call = JSON.parse(button.dataset.call);
      const body = call.body === undefined || call.body === null ? null : JSON.parse(JSON.stringify(call.body));
      (call.asks || []).forEach((ask) => {
        const input = button.parentElement.querySelector(`[data-ask="${ask.name}"]`);
        const text = input ? input.value : ask.default;
        place(body, ask.name, ask.number ? Number(text) : text);
      });
      await send(button.dataset.provider, call.method, call.path, body);
      return;
    }
    const act = event.target.closest("[data-act]");
    if (act) {
      const given = JSON.parse(act.dataset.act);
      const form = document.querySelector(`form[data-credential="${given.provider}"]`);
      Object.entries(given.values).forEach(([name, value]) => { form.elements[name].value = value; });
      form.requestSubmit();
      return;
    }
    const forget = event.target.closest("[data-forget]");
    if (forget) {
      const all = stored();
      if (forget.dataset.forget === "sandbox") { delete all.admin; } else { delete (all.providers || {})[forget.dataset.forget]; }
      store(all);
      status(forget.dataset.forget, "forgotten");
      htmx.trigger(document.body, "sandbox:credentials");
      return;
    }
    const download = event.target.closest("[data-download]");
    if (download) {
      const response = await fetch(download.dataset.download, {headers: adminHeaders()});
      report(`GET ${download.dataset.download}\n→ ${response.status}`);
      if (!response.ok) { report(`GET ${download.dataset.download}\n→ ${response.status}\n${await response.text()}`); return; }
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = "sandbox-snapshot.json";
      link.click();
    }
  });

  function status(provider, text) {
    const out = document.querySelector(`[data-status="${provider}"]`);
    if (out) { out.textContent = text; }
  }

  // -- forms: a credential, or a control call's body ---------------------------------------------------
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.matches("[data-admin-form]")) {
      event.preventDefault();
      const all = stored();
      all.admin = form.elements.token.value;
      store(all);
      status("sandbox", "in use");
      htmx.trigger(document.body, "sandbox:credentials");
    } else if (form.matches("[data-credential]")) {
      event.preventDefault();
      await useCredential(form);
    } else if (form.matches("[data-call-form]")) {
      event.preventDefault();
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { return; }
      const body = {};
      Array.from(form.elements).filter((e) => e.name && e.value !== "").forEach((e) => {
        body[e.name] = e.dataset.type === "number" ? Number(e.value) : e.value;
      });
      await send(form.dataset.provider, form.dataset.method, form.dataset.path, body);
    }
  });

  async function useCredential(form) {
    const provider = form.dataset.credential;
    const spec = JSON.parse(form.dataset.spec);
    const values = {};
    Array.from(form.elements).filter((e) => e.name).forEach((e) => { values[e.name] = e.value; });
    if (spec.login) {
      const body = {};
      Object.entries(spec.login.body).forEach(([key, template]) => { body[key] = fill(template, values); });
      const response = await fetch(spec.login.path, {method: "POST", headers: {"Content-Type": "application/json"},
                                                     body: JSON.stringify(body)});
      const answer = await response.json().catch(() => null);
      const token = spec.login.token.split(".").reduce((here, key) => (here ? here[key] : undefined), answer);
      if (!response.ok || !token) {
        status(provider, `login refused (${response.status})`);
        return;
      }
      values.token = token;
    }
    const credential = {headers: {}, scope: {}};
    Object.entries(spec.headers).forEach(([name, template]) => { credential.headers[name] = fill(template, values); });
    Object.entries(spec.scope).forEach(([name, template]) => { credential.scope[name] = fill(template, values); });
    const all = stored();
    all.providers = Object.assign(all.providers || {}, {[provider]: credential});
    store(all);
    status(provider, "in use");
    showTab(provider);
    htmx.trigger(document.body, "sandbox:credentials");
  }

  // -- uploads: a snapshot to restore, a scenario file to load ----------------------------------------
  document.addEventListener("change", async (event) => {
    const input = event.target;
    if (!input.matches("[data-upload]") || !input.files.length) { return; }
    const text = await input.files[0].text();
    await send("sandbox", input.dataset.method, input.dataset.upload, text, input.dataset.type);
    input.value = "";
  });

  // -- tabs, and polling only what is in view ----------------------------------------------------------
  function showTab(name) {
    document.querySelectorAll("[data-tab]").forEach((tab) => {
      tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
    });
    document.querySelectorAll(".provider").forEach((section) => { section.hidden = section.dataset.provider !== name; });
  }
  document.addEventListener("click", (event) => {
    const tab = event.target.closest("[data-tab]");
    if (tab) { showTab(tab.dataset.tab); }
  });

  window.ui = {
    // a polled part reloads only while it shows and nobody is typing in it
    live(element) {
      const typing = document.activeElement && document.activeElement.matches("input, select, textarea")
        && element.contains(document.activeElement);
      return !document.hidden && element.offsetParent !== null && !typing;
    },
    showTab,
  };

  // a refusal (401, 403, 404, 400) comes as a fragment that says why: show it
  htmx.config.responseHandling = [{code: "204", swap: false}, {code: "[23]..", swap: true},
                                  {code: "4..", swap: true, error: false}, {code: "...", swap: false, error: true}];

  document.addEventListener("DOMContentLoaded", () => {
    const all = stored();
    if (all.admin) { status("sandbox", "in use"); }
    Object.keys(all.providers || {}).forEach((provider) => status(provider, "in use"));
  });
})();
