// Forms, progressively enhanced (everything here works without JavaScript too, only less
// conveniently).
// 1. A page sent back with problems: the focus moves to the error summary
//    (includes/_error_summary.html), so that screen readers read it first; a link of the
//    summary focuses its field, and shows the field's label or legend with it.
// 2. A long form marked data-warn-unsaved asks before the page is left with changes that
//    were not sent: changed since the page loaded, or sent back with problems (nothing of a
//    form sent back is saved yet). Sending the form itself never asks.
(() => {
  const CONTROLS = "input:not([type=hidden]), select, textarea";

  function controlOf(target) {
    if (target.matches(CONTROLS)) return target;
    return target.querySelector(CONTROLS); // a group of choices: its first choice
  }

  function captionOf(control) {
    const choice = control.type === "radio" || control.type === "checkbox";
    const legend = choice ? control.closest("fieldset")?.querySelector("legend") : null;
    if (legend) return legend;
    return control.id ? document.querySelector(`label[for="${CSS.escape(control.id)}"]`) : null;
  }

  function linkSummary(summary) {
    summary.addEventListener("click", (event) => {
      const link = event.target.closest("a[href^='#']");
      if (!link) return;
      const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      const control = target && controlOf(target);
      if (!control) return; // the browser's own jump to the anchor
      event.preventDefault();
      (captionOf(control) || control).scrollIntoView();
      control.focus({ preventScroll: true });
    });
  }

  function snapshot(form) {
    const values = [];
    for (const [name, value] of new FormData(form)) {
      if (name === "csrfmiddlewaretoken") continue;
      values.push([name, value instanceof File ? `${value.name}/${value.size}` : value]);
    }
    return JSON.stringify(values);
  }

  function warnUnsaved(form) {
    const atLoad = snapshot(form);
    const sentBack = form.querySelector("[data-error-summary]") !== null;
    let sending = false;
    // Listened to on window, after the form's own listeners: a submit that one of them
    // cancels (a confirmation declined) is not a departure.
    window.addEventListener("submit", (event) => {
      if (event.target === form && !event.defaultPrevented) sending = true;
    });
    // Back to this page from the browser's cache after sending it: it may warn again.
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) sending = false;
    });
    window.addEventListener("beforeunload", (event) => {
      if (sending || (!sentBack && snapshot(form) === atLoad)) return;
      event.preventDefault();
      event.returnValue = ""; // browsers show their own message
    });
  }

  function start() {
    const summaries = document.querySelectorAll("[data-error-summary]");
    summaries.forEach(linkSummary);
    if (summaries.length) summaries[0].focus();
    document.querySelectorAll("form[data-warn-unsaved]").forEach(warnUnsaved);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
