// The report form on a phone with a poor connection (issue 12 §3). What the secondee types is kept on
// the device (localStorage, one item per draft, keyed by the user and the draft's key) and survives
// closing the browser. "File the report" queues the draft; a queued draft is sent through the API
// (POST /api/reports) as soon as there is a connection: when the page opens, when the browser comes
// back online, and again after a while (2 to 30 seconds, or the server's Retry-After) while the server cannot be reached. Each draft carries its key (draft_key, also sent
// as the Idempotency-Key): the server answers a draft sent again with the report it filed the first
// time, so a draft is filed once however often it is sent. The service worker (/reports/sw.js) keeps
// this page and its files, so the form opens offline too. Without JavaScript the form posts as usual.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var panel = document.getElementById("drafts");
  if (!form || !panel || !window.localStorage || !window.fetch) { return; }
  var text = panel.dataset;
  var prefix = "dividend.draft." + text.user + ".";
  var LISTS = ["themes", "countries", "requirements"];  // the API takes these as lists of ids
  var NUMBERS = ["mission", "credibility"];
  var SETTLE_MS = 1500;
  var RETRY_MS = [2000, 5000, 10000, 20000, 30000];  // waits between tries while the server cannot be reached
  var SENT_KEPT_MS = 7 * 24 * 3600 * 1000;  // a sent draft is remembered (title and link only) a week
  var keyField = form.elements.draft_key;
  var sending = false;
  var retry = null;
  var tries = 0;
  var waitMs = null;  // the server's Retry-After, when it gave one
  var current = null;  // the draft shown in the form when it is queued (the form is locked meanwhile)
  var restoring = false;

  function load(key) {
    try { return JSON.parse(localStorage.getItem(prefix + key)); } catch (error) { return null; }
  }
  function store(draft) { localStorage.setItem(prefix + draft.key, JSON.stringify(draft)); }
  function drafts() {
    var found = [];
    for (var i = 0; i < localStorage.length; i++) {
      var name = localStorage.key(i);
      if (name.indexOf(prefix) === 0) {
        var draft = load(name.slice(prefix.length));
        if (draft && draft.key) { found.push(draft); }
      }
    }
    return found.sort(function (a, b) { return (a.saved || "") < (b.saved || "") ? -1 : 1; });
  }
  function newKey() {
    var bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_");
  }
  function fields() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {  // attachments (files) are not kept on the device
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") { pairs.push([name, value]); }
    });
    return pairs;
  }
  function fill(pairs) {
    restoring = true;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "file") { return; }
      if (el.type === "checkbox" || el.type === "radio") { el.checked = false; }
      else if (el.tagName === "SELECT" && el.multiple) { Array.prototype.forEach.call(el.options, function (o) { o.selected = false; }); }
    });
    pairs.forEach(function (pair) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name !== pair[0] || el.type === "file") { return; }
        if (el.type === "checkbox" || el.type === "radio") { if (el.value === pair[1]) { el.checked = true; } }
        else if (el.tagName === "SELECT" && el.multiple) {
          Array.prototype.forEach.call(el.options, function (o) { if (o.value === pair[1]) { o.selected = true; } });
        } else { el.value = pair[1]; }
      });
    });
    form.querySelectorAll(".searchable-select select").forEach(function (select) {
      select.dispatchEvent(new Event("change", {bubbles: true}));  // dividend.js shows what is chosen
    });
    restoring = false;
  }
  function payload(pairs) {
    var body = {};
    LISTS.forEach(function (name) { body[name] = []; });
    pairs.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      if (LISTS.indexOf(name) !== -1) { body[name].push(Number(value)); }
      else if (NUMBERS.indexOf(name) !== -1) { body[name] = value === "" ? null : Number(value); }
      else { body[name] = value; }
    });
    return body;
  }
  function title(pairs) {
    var found = pairs.filter(function (pair) { return pair[0] === "title"; })[0];
    return found ? found[1] : "";
  }
  function lock(locked) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name !== "csrfmiddlewaretoken") { el.disabled = locked; }
    });
  }
  function say(message, kind, reportId) {
    panel.hidden = false;
    var line = document.getElementById("draft-status");
    // The same words again (each keystroke saves): the line is left alone. Rewriting it makes the
    // browser re-anchor the scroll position, and a tap on "File the report" right after typing missed.
    if (line.className === "draft-" + kind && line.textContent === message + " " && !reportId) { return; }
    line.className = "draft-" + kind;
    line.textContent = message + " ";
    if (reportId) {
      var link = document.createElement("a");
      link.href = text.reportUrl.replace("/0/", "/" + reportId + "/");
      link.textContent = text.open;
      line.appendChild(link);
    }
  }
  function showErrors(errors) {
    form.querySelectorAll(".draft-errors").forEach(function (list) { list.remove(); });
    Object.keys(errors || {}).forEach(function (name) {
      var list = document.createElement("ul");
      list.className = "errorlist draft-errors";
      errors[name].forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        list.appendChild(item);
      });
      var field = form.elements[name];
      var anchor = field && (field.closest ? field : field[0]);
      anchor = anchor && anchor.closest("p");
      if (anchor) { anchor.parentNode.insertBefore(list, anchor); } else { form.insertBefore(list, form.firstChild); }
    });
  }
  function render() {
    var list = document.getElementById("draft-list");
    list.textContent = "";
    drafts().forEach(function (draft) {
      if (draft.state !== "queued" && draft.state !== "sent") { return; }
      var item = document.createElement("li");
      item.className = "draft-" + draft.state;
      item.textContent = "“" + (draft.title || "…") + "”: " + (draft.state === "sent" ? text.sentItem : text.waitingItem);
      if (draft.reportId) {
        var link = document.createElement("a");
        link.href = text.reportUrl.replace("/0/", "/" + draft.reportId + "/");
        link.textContent = text.open;
        item.appendChild(document.createTextNode(" · "));
        item.appendChild(link);
      }
      list.appendChild(item);
    });
  }
  function startNew() {
    form.reset();
    keyField.value = newKey();
    lock(false);
    current = null;
  }
  function saveEditing() {
    if (current || restoring) { return; }
    var pairs = fields();
    store({key: keyField.value, state: "editing", fields: pairs, title: title(pairs), saved: new Date().toISOString()});
    say(text.saved, "saved");
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : form.elements.csrfmiddlewaretoken.value;
  }
  function later() {
    if (retry !== null) { return; }
    var delay = waitMs || RETRY_MS[Math.min(tries, RETRY_MS.length - 1)];
    tries += 1;
    waitMs = null;
    retry = setTimeout(function () { retry = null; sendAll(); }, delay);
  }

  // One queued draft to the API. Resolves true when the draft is settled (filed or refused).
  function send(draft) {
    if (current && current.key === draft.key) { say(text.sending, "sending"); }
    return fetch(text.api, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken(),
                "Idempotency-Key": "draft-" + draft.key},
      body: JSON.stringify(payload(draft.fields))
    }).then(function (answer) {
      return answer.json().catch(function () { return {}; }).then(function (body) {
        var shown = current && current.key === draft.key;
        if (answer.status === 200 || answer.status === 201) {
          store({key: draft.key, state: "sent", title: draft.title, reportId: body.id, saved: draft.saved,
                 sent: new Date().toISOString()});  // the text itself is not kept once filed
          if (shown) { startNew(); say(text.sent, "sent", body.id); }
          return true;
        }
        if (answer.status === 400 || answer.status === 422) {
          store({key: draft.key, state: "editing", fields: draft.fields, title: draft.title, saved: draft.saved,
                 errors: body.errors || {}, detail: body.detail || ""});
          if (shown || !current) { current = null; lock(false); fill(draft.fields); keyField.value = draft.key; }
          showErrors(body.errors && Object.keys(body.errors).length ? body.errors : {__all__: [body.detail || ""]});
          say(text.refused, "refused");
          return true;
        }
        if (answer.status === 401 || answer.status === 403) {
          if (shown) { say(text.signin + (body.detail ? " (" + body.detail + ")" : ""), "waiting"); }
          return false;
        }
        var after = Number(answer.headers.get("Retry-After"));  // 503: the database is busy for a moment
        if (after > 0) { waitMs = Math.min(after, 300) * 1000; }
        if (shown) { say(text.queued, "waiting"); }
        return false;
      });
    }, function () {
      if (current && current.key === draft.key) { say(text.queued, "waiting"); }
      return false;
    });
  }

  function sendAll() {
    if (sending || !navigator.onLine) { return; }  // offline: the "online" event sends
    var queued = drafts().filter(function (d) { return d.state === "queued"; });
    if (!queued.length) { return; }
    sending = true;
    queued.reduce(function (chain, draft) {
      return chain.then(function (allSettled) {
        return send(draft).then(function (settled) { return allSettled && settled; });
      });
    }, Promise.resolve(true)).then(function (allSettled) {
      sending = false;
      render();
      if (!allSettled) { later(); return; }
      tries = 0;
      if (drafts().some(function (d) { return d.state === "queued"; })) { sendAll(); }  // queued meanwhile
    });
  }

  // The form on opening: a queued draft (locked, waiting to be sent), else the draft being written.
  var now = Date.now();
  var kept = drafts();
  kept.forEach(function (d) {  // a sent draft is forgotten after a week
    if (d.state === "sent" && now - Date.parse(d.sent || d.saved || 0) > SENT_KEPT_MS) {
      localStorage.removeItem(prefix + d.key);
    }
  });
  var queued = kept.filter(function (d) { return d.state === "queued"; })[0];
  var editing = kept.filter(function (d) { return d.state === "editing"; }).pop();
  if (queued) {
    current = queued;
    fill(queued.fields);
    keyField.value = queued.key;
    lock(true);
    say(text.queued, "waiting");
  } else if (editing) {
    fill(editing.fields);
    keyField.value = editing.key;
    if (editing.errors && Object.keys(editing.errors).length) { showErrors(editing.errors); }
    say(text.restored, "saved");
  } else if (kept.some(function (d) { return d.key === keyField.value; })) {
    keyField.value = newKey();  // the page came from the worker's cache: its key belongs to an earlier draft
  }
  render();

  form.addEventListener("input", saveEditing);
  form.addEventListener("change", saveEditing);
  form.addEventListener("submit", function (event) {
    var files = Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length;
    });
    if (files && navigator.onLine) { return; }  // attachments go with the form itself, online only
    event.preventDefault();
    var pairs = fields();
    current = {key: keyField.value, state: "queued", fields: pairs, title: title(pairs), saved: new Date().toISOString()};
    store(current);
    lock(true);
    showErrors({});
    say(navigator.onLine ? text.sending : text.queued, navigator.onLine ? "sending" : "waiting");
    render();
    sendAll();
  });
  // Back online: wait a moment for the connection to settle (a phone's flaps on and off), then send.
  window.addEventListener("online", function () { setTimeout(sendAll, SETTLE_MS); });
  if (navigator.onLine) { sendAll(); }

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(text.worker, {scope: text.reportUrl.replace(/0\/$/, "")})
        .catch(function () { /* no worker (e.g. plain http from another host): the form still works online */ });
    });
  }
})();
