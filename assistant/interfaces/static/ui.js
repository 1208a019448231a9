() => {
  /* Accessibility fixes for the Gradio chat at /ui/, kept in step with Gradio's re-renders:
   * names for unnamed controls, a valid role on the example list, message text read as text
   * (not as its raw HTML source), and focus back in the question box after every reply. */
  "use strict";
  if (window.__vaUiA11y) return;
  window.__vaUiA11y = true;

  var awaitingReply = false;
  var sawBusy = false;
  var sentAt = 0;

  function sent() {
    awaitingReply = true;
    sawBusy = false;
    sentAt = Date.now();
    window.setTimeout(schedule, 5100);
  }

  function box() { return document.querySelector("#va-input textarea"); }

  function patch() {
    document.querySelectorAll("#va-chatbot .examples[role='list']").forEach(function (e) {
      e.setAttribute("role", "group");
      e.setAttribute("aria-label", "Example questions");
    });
    document.querySelectorAll("#va-chatbot [data-testid='bot'][aria-label], " +
      "#va-chatbot [data-testid='user'][aria-label]").forEach(function (e) {
      e.removeAttribute("aria-label");
    });
    document.querySelectorAll(".gradio-container button").forEach(function (b) {
      var name = (b.getAttribute("aria-label") || "").trim() || b.textContent.trim();
      if (name) return;
      if (b.classList.contains("submit-button")) b.setAttribute("aria-label", "Send");
      else if (b.getAttribute("title")) b.setAttribute("aria-label", b.getAttribute("title"));
    });
    /* Gradio's <label> wraps the box and the Send button, so the box would be named
     * "Your question Send": name it by its label text alone. */
    var t0 = box(), info = document.querySelector("#va-input [data-testid='block-info']");
    if (t0 && info && t0.getAttribute("aria-label") !== info.textContent.trim()) {
      t0.setAttribute("aria-label", info.textContent.trim());
    }
    var log = document.querySelector("#va-chatbot [role='log']");
    if (log) {
      log.setAttribute("aria-label", "Conversation");
      log.setAttribute("aria-live", "polite");
    }
    var t = box();
    if (t && awaitingReply) {
      if (t.disabled) sawBusy = true;
      else if (sawBusy || Date.now() - sentAt > 5000) returnFocus(t);
    }
  }

  function returnFocus(t) {
    /* The reply is complete and the box usable again: put the visitor back in it, unless
     * they have moved on to another control meanwhile. */
    awaitingReply = false;
    sawBusy = false;
    var active = document.activeElement;
    if (!active || active === document.body || !document.contains(active) ||
        (active.closest && active.closest("#va-input, #va-chatbot .examples"))) {
      t.focus();
    }
  }

  var queued = false;
  function schedule() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () { queued = false; patch(); });
  }

  document.addEventListener("keydown", function (ev) {
    var t = box();
    if (ev.key === "Enter" && !ev.shiftKey && t && ev.target === t && t.value.trim()) {
      sent();
    }
  }, true);
  document.addEventListener("click", function (ev) {
    var target = ev.target && ev.target.closest ?
      ev.target.closest("#va-input .submit-button, #va-chatbot .examples .example") : null;
    if (target) sent();
  }, true);

  new MutationObserver(schedule).observe(document.body, {
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["disabled", "aria-label", "role", "class"]
  });
  schedule();
}
