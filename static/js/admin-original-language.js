// The admin's translation tabs (django-modeltranslation, common/translation_admin.py):
// the tab of the object's original language is marked, and follows the select when it
// changes. Its text is the field above the tabs; a translation into it is never shown.
// The tabs are built by jQuery UI once the page is ready (and again for a new inline),
// so the marks follow the DOM rather than an event.
(function () {
  "use strict";
  function mark() {
    var select = document.querySelector('select[name="original_language"]');
    if (!select) {
      return;
    }
    var label = select.getAttribute("data-original-label") || "original";
    document.querySelectorAll(".ui-tabs-nav li a").forEach(function (link) {
      var code = link.getAttribute("data-language") || link.textContent.trim();
      var isOriginal = code === select.value;
      var text = isOriginal ? code + " (" + label + ")" : code;
      link.setAttribute("data-language", code);
      if (link.textContent !== text) {
        link.textContent = text;
      }
      link.parentElement.classList.toggle("mt-original-language", isOriginal);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector('select[name="original_language"]');
    if (!select) {
      return;
    }
    select.addEventListener("change", mark);
    new MutationObserver(mark).observe(document.body, { childList: true, subtree: true });
    mark();
  });
})();
