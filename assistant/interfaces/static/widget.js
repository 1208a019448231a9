/* vetted-assistant chat widget. Embed with one tag:
 *   <script src="https://HOST/widget.js" data-title="Ask our clinic" async></script>
 * Plain JS, no framework, no build step. Talks to HOST/v1/chat/stream (Server-Sent Events).
 * Optional attributes: data-title, data-greeting, data-position ("right" | "left"),
 * data-api (base URL of the API when it differs from the script's origin).
 * Text from the server is only ever inserted with textContent (never innerHTML).
 */
(function () {
  "use strict";
  if (window.__vettedAssistantWidget) return;
  window.__vettedAssistantWidget = true;

  var script = document.currentScript;
  if (!script) {
    var all = document.querySelectorAll('script[src*="widget.js"]');
    script = all[all.length - 1];
  }
  var base = (script && script.getAttribute("data-api")) ||
    (script ? new URL(script.src, document.baseURI).origin : window.location.origin);
  var title = (script && script.getAttribute("data-title")) || "Ask our clinic";
  var greeting = (script && script.getAttribute("data-greeting")) ||
    "Hi! I answer general questions from our clinic's vetted articles, with sources.";
  var side = (script && script.getAttribute("data-position")) === "left" ? "left" : "right";

  var LABELS = {
    emergency: "Urgent: get emergency help now",
    crisis: "You are not alone: crisis support",
    clinician: "Please talk to a clinician",
    refused: "Not something I can help with",
    off_topic: "Outside what I can answer",
    no_answer: "Not covered by our vetted articles"
  };
  var ESCALATION = { emergency: 1, crisis: 1, clinician: 1 };
  var ESCALATION_ORDER = ["emergency", "crisis", "clinician"];

  var css = [
    ".va-w, .va-w * { box-sizing: border-box; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }",
    ".va-bubble { position: fixed; bottom: 20px; " + side + ": 20px; z-index: 2147483001; width: 60px; height: 60px; border-radius: 50%; border: 0; background: #0f766e; color: #fff; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); display: flex; align-items: center; justify-content: center; }",
    ".va-w :focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; box-shadow: 0 0 0 5px #fff; }",
    ".va-bubble:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 3px; }",
    ".va-panel { position: fixed; bottom: 92px; " + side + ": 20px; z-index: 2147483000; width: 380px; max-width: calc(100vw - 40px); height: 560px; max-height: calc(100vh - 120px); max-height: calc(100dvh - 120px); background: #fff; color: #111827; border-radius: 14px; box-shadow: 0 10px 30px rgba(0,0,0,.3); display: none; flex-direction: column; overflow: hidden; }",
    ".va-panel.va-open { display: flex; }",
    ".va-head { background: #0f766e; color: #fff; padding: 8px 8px 8px 14px; font-weight: 700; display: flex; justify-content: space-between; align-items: center; }",
    ".va-title { font-size: 16px; margin: 0; }",
    ".va-close { background: transparent; border: 0; color: #fff; font-size: 24px; line-height: 1; cursor: pointer; min-width: 44px; min-height: 44px; border-radius: 8px; }",
    ".va-close:focus-visible { outline-color: #fff; box-shadow: 0 0 0 5px #1d4ed8; }",
    ".va-alerts { flex: none; padding: 8px 10px 0; background: #f9fafb; display: flex; flex-direction: column; gap: 6px; max-height: 45%; overflow-y: auto; }",
    ".va-alerts:empty { display: none; }",
    ".va-alert { border: 2px solid #111827; border-radius: 8px; background: #fff; }",
    ".va-alert .va-banner { margin: 0; border-radius: 5px 5px 0 0; cursor: pointer; }",
    ".va-alert:not([open]) .va-banner { border-radius: 5px; }",
    ".va-alert-text { margin: 0; padding: 4px 8px 6px; font-size: 13px; line-height: 1.4; color: #111827; }",
    ".va-alert-emergency { border-color: #b91c1c; } .va-alert-crisis { border-color: #5b21b6; } .va-alert-clinician { border-color: #92400e; }",
    ".va-log { flex: 1; overflow-y: auto; padding: 12px; background: #f9fafb; font-size: 15px; line-height: 1.45; }",
    ".va-msg { margin: 0 0 10px 0; padding: 9px 11px; border-radius: 10px; max-width: 92%; white-space: pre-wrap; word-wrap: break-word; color: #111827; }",
    ".va-user { background: #d1fae5; margin-left: auto; }",
    ".va-bot { background: #fff; border: 1px solid #d1d5db; }",
    ".va-banner { font-weight: 700; padding: 6px 8px; border-radius: 6px; margin-bottom: 6px; white-space: normal; }",
    ".va-route-emergency { border: 2px solid #b91c1c; } .va-route-emergency .va-banner, .va-alert-emergency .va-banner { background: #b91c1c; color: #fff; }",
    ".va-route-crisis { border: 2px solid #5b21b6; } .va-route-crisis .va-banner, .va-alert-crisis .va-banner { background: #5b21b6; color: #fff; }",
    ".va-route-clinician { border: 2px solid #92400e; } .va-route-clinician .va-banner, .va-alert-clinician .va-banner { background: #92400e; color: #fff; }",
    ".va-route-no_answer .va-banner, .va-route-off_topic .va-banner, .va-route-refused .va-banner { background: #e5e7eb; color: #111827; }",
    ".va-sources { margin-top: 8px; border-top: 1px solid #9ca3af; padding-top: 6px; font-size: 13px; white-space: normal; }",
    ".va-sources ol { margin: 4px 0 0 18px; padding: 0; }",
    ".va-source-title { font-weight: 600; }",
    "a.va-source-title { color: #1d4ed8; text-decoration: underline; }",
    ".va-quote { display: block; border-left: 3px solid #6b7280; padding-left: 6px; margin: 2px 0 4px; color: #1f2937; font-style: italic; }",
    ".va-disclaimer { display: block; margin-top: 8px; font-size: 12px; color: #374151; white-space: normal; }",
    ".va-sr-only { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0,0,0,0); white-space: nowrap; border: 0; }",
    ".va-votes { margin-top: 6px; display: flex; gap: 8px; align-items: center; white-space: normal; }",
    ".va-vote { border: 1px solid #6b7280; background: #fff; color: #111827; border-radius: 6px; cursor: pointer; padding: 4px 10px; min-height: 32px; font-size: 13px; }",
    ".va-vote[disabled] { cursor: default; color: #4b5563; }",
    ".va-form { display: flex; gap: 6px; padding: 8px; border-top: 1px solid #d1d5db; background: #fff; }",
    ".va-input { flex: 1; min-width: 0; border: 2px solid #6b7280; border-radius: 8px; padding: 10px; font-size: 16px; color: #111827; background: #fff; }",
    ".va-input:focus { outline: 3px solid #1d4ed8; outline-offset: 1px; border-color: #1d4ed8; }",
    ".va-send { border: 0; border-radius: 8px; background: #0f766e; color: #fff; padding: 0 16px; min-height: 44px; cursor: pointer; font-weight: 600; font-size: 15px; }",
    ".va-send[disabled] { background: #4b5563; cursor: progress; }",
    ".va-error { color: #b91c1c; }",
    "@media (max-width: 480px) { .va-panel { left: 0; right: 0; top: 0; bottom: 0; width: 100%; max-width: none; height: 100%; max-height: none; border-radius: 0; } .va-w.va-is-open .va-bubble { display: none; } }",
    "@media (prefers-reduced-motion: reduce) { .va-w *, .va-w *::before, .va-w *::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; } }"
  ].join("\n");

  function chatIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "28");
    svg.setAttribute("height", "28");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9H7zm4 0v2h2V9h-2zm4 0v2h2V9h-2z");
    svg.appendChild(path);
    return svg;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  var history = [];
  var sessionId = null;
  try {
    sessionId = window.sessionStorage.getItem("va-session");
    if (!sessionId) {
      sessionId = "w-" + Math.random().toString(36).slice(2) + Date.now().toString(36);
      window.sessionStorage.setItem("va-session", sessionId);
    }
  } catch (e) { sessionId = "w-" + Math.random().toString(36).slice(2); }

  var root, panel, log, input, send, bubble, alertsBox;
  var alerts = {};

  function isOpen() { return panel.classList.contains("va-open"); }

  function open() {
    panel.classList.add("va-open");
    root.classList.add("va-is-open");
    bubble.setAttribute("aria-expanded", "true");
    input.focus();
    scroll();
  }

  function close() {
    panel.classList.remove("va-open");
    root.classList.remove("va-is-open");
    bubble.setAttribute("aria-expanded", "false");
    bubble.focus();
  }

  function build() {
    var style = el("style");
    style.textContent = css;
    document.head.appendChild(style);
    root = el("div", "va-w");
    root.id = "va-widget";
    bubble = el("button", "va-bubble");
    bubble.appendChild(chatIcon());
    bubble.type = "button";
    bubble.setAttribute("aria-label", "Open chat: " + title);
    bubble.setAttribute("aria-expanded", "false");
    bubble.setAttribute("aria-controls", "va-panel");
    panel = el("div", "va-panel");
    panel.id = "va-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-labelledby", "va-title");
    var head = el("div", "va-head");
    var h = el("h2", "va-title", title);
    h.id = "va-title";
    head.appendChild(h);
    var closeBtn = el("button", "va-close");
    closeBtn.type = "button";
    closeBtn.setAttribute("aria-label", "Close chat");
    closeBtn.appendChild(el("span", null, "×")).setAttribute("aria-hidden", "true");
    head.appendChild(closeBtn);
    alertsBox = el("section", "va-alerts");
    alertsBox.setAttribute("aria-label", "Safety information");
    log = el("div", "va-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", "Conversation");
    log.setAttribute("tabindex", "0");
    log.appendChild(el("div", "va-msg va-bot", greeting));
    var form = el("form", "va-form");
    input = el("input", "va-input");
    input.type = "text";
    input.id = "va-question";
    input.placeholder = "Type your question…";
    input.setAttribute("aria-label", "Your question");
    input.setAttribute("autocomplete", "off");
    input.maxLength = 2000;
    send = el("button", "va-send", "Send");
    send.type = "submit";
    form.appendChild(input);
    form.appendChild(send);
    panel.appendChild(head);
    panel.appendChild(alertsBox);
    panel.appendChild(log);
    panel.appendChild(form);
    root.appendChild(panel);
    root.appendChild(bubble);
    document.body.appendChild(root);

    bubble.addEventListener("click", function () { if (isOpen()) close(); else open(); });
    closeBtn.addEventListener("click", close);
    root.addEventListener("keydown", function (ev) {
      if ((ev.key === "Escape" || ev.key === "Esc") && isOpen()) {
        ev.preventDefault();
        close();
      }
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var q = input.value.trim();
      if (!q || send.disabled) return;
      input.value = "";
      input.focus();
      ask(q);
    });
  }

  function scroll() { log.scrollTop = log.scrollHeight; }

  function banner(route) {
    var b = el("div", "va-banner");
    if (ESCALATION[route]) b.appendChild(el("span", null, "⚠ ")).setAttribute("aria-hidden", "true");
    b.appendChild(document.createTextNode(LABELS[route]));
    return b;
  }

  function showAlerts() {
    /* The persistent safety area: every escalation shown so far stays above the log. */
    while (alertsBox.firstChild) alertsBox.removeChild(alertsBox.firstChild);
    ESCALATION_ORDER.forEach(function (route) {
      if (!alerts[route]) return;
      // A disclosure, open at first: the banner stays; the text can be folded away.
      var a = el("details", "va-alert va-alert-" + route);
      a.open = true;
      var summary = banner(route);
      var s = el("summary", summary.className);
      while (summary.firstChild) s.appendChild(summary.firstChild);
      a.appendChild(s);
      a.appendChild(el("p", "va-alert-text", alerts[route]));
      alertsBox.appendChild(a);
    });
  }

  function source(c) {
    /* The same rendering as the UI and the API's Markdown (assistant render.source_html):
     * linked title, " — section (version N)", then the quote. */
    var li = el("li", "va-citation");
    li.value = c.n;
    var t;
    if (c.url && /^https?:\/\//i.test(c.url)) {
      t = el("a", "va-source-title", c.title);
      t.href = c.url;
      t.target = "_blank";
      t.rel = "noopener noreferrer";
      t.appendChild(el("span", "va-sr-only", " (opens in a new tab)"));
    } else {
      t = el("span", "va-source-title", c.title);
    }
    li.appendChild(t);
    li.appendChild(el("span", "va-source-meta", " — " + c.section + " (version " + c.version + ")"));
    li.appendChild(el("span", "va-quote", "“" + c.quote + "”"));
    return li;
  }

  function renderFinal(box, textNode, final) {
    var route = final.route || "answer";
    box.className = "va-msg va-bot va-route-" + route;
    box.setAttribute("data-route", route);
    if (LABELS[route]) box.insertBefore(banner(route), textNode);
    textNode.textContent = final.answer;
    var cites = final.citations || [];
    if (cites.length) {
      var src = el("div", "va-sources");
      src.appendChild(el("strong", null, "Sources"));
      var ol = el("ol");
      cites.forEach(function (c) { ol.appendChild(source(c)); });
      src.appendChild(ol);
      box.appendChild(src);
    }
    box.appendChild(el("small", "va-disclaimer", final.disclaimer || ""));
    if (final.message_id) box.appendChild(votes(final.message_id));
    if (ESCALATION[route]) {
      alerts[route] = final.answer;
      showAlerts();
    }
  }

  function votes(messageId) {
    var row = el("div", "va-votes");
    [["up", "▲ Helpful", "This answer was helpful"],
     ["down", "▼ Not helpful", "This answer was not helpful"]].forEach(function (v) {
      var b = el("button", "va-vote va-vote-" + v[0], v[1]);
      b.type = "button";
      b.setAttribute("aria-label", v[2]);
      b.addEventListener("click", function () {
        var buttons = row.querySelectorAll("button");
        for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
        fetch(base + "/v1/feedback", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ message_id: messageId, rating: v[0] })
        }).then(function (r) {
          row.appendChild(el("span", "va-thanks", r.ok ? "Thanks!" : "Could not send."));
        }).catch(function () {
          row.appendChild(el("span", "va-thanks", "Could not send."));
        });
      });
      row.appendChild(b);
    });
    return row;
  }

  function parseEvents(buffer, onEvent) {
    var parts = buffer.split("\n\n");
    var rest = parts.pop();
    parts.forEach(function (block) {
      var name = "message", data = [];
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) name = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
      });
      if (data.length) onEvent(name, JSON.parse(data.join("\n")));
    });
    return rest;
  }

  function fail(box, textNode, message) {
    box.className = "va-msg va-bot va-error";
    textNode.textContent = message;
  }

  function ask(question) {
    var mine = el("div", "va-msg va-user");
    mine.appendChild(el("span", "va-sr-only", "You: "));
    mine.appendChild(document.createTextNode(question));
    log.appendChild(mine);
    var box = el("div", "va-msg va-bot va-pending");
    var textNode = el("span", "va-text", "Answering…");
    box.appendChild(el("span", "va-sr-only", "Assistant: "));
    box.appendChild(textNode);
    log.appendChild(box);
    scroll();
    send.disabled = true;
    var msgs = history.concat([{ role: "user", content: question }]);
    var shown = "";
    var finished = false;
    fetch(base + "/v1/chat/stream", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
      body: JSON.stringify({ messages: msgs, session_id: sessionId })
    }).then(function (resp) {
      if (!resp.ok) {
        return resp.json().catch(function () { return {}; }).then(function (body) {
          var msg = (body && body.error && body.error.message) || ("Error " + resp.status);
          if (resp.status === 429) msg = "You are sending messages too quickly. " + msg;
          fail(box, textNode, msg);
        });
      }
      var reader = resp.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      function onEvent(name, data) {
        if (name === "delta") {
          shown += data.text;
          textNode.textContent = shown;
        } else if (name === "final") {
          finished = true;
          box.classList.remove("va-pending");
          renderFinal(box, textNode, data);
          history = msgs.concat([{ role: "assistant", content: data.answer }]);
          if (history.length > 20) history = history.slice(history.length - 20);
        } else if (name === "error") {
          finished = true;
          fail(box, textNode, (data.error && data.error.message) || "Something went wrong.");
        }
        scroll();
      }
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) {
            parseEvents(buffer + "\n\n", onEvent);
            if (!finished) fail(box, textNode, "The answer was interrupted. Please try again.");
            return;
          }
          buffer = parseEvents(buffer + decoder.decode(r.value, { stream: true }), onEvent);
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      fail(box, textNode, "Could not reach the assistant. Please try again.");
    }).then(function () {
      send.disabled = false;
      scroll();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build);
  else build();
})();
