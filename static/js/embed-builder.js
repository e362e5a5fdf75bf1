// The page /embed/ (opendata/embed_views.py, builder): as the form changes, the code to copy
// and the preview follow it, read from the page the form would load (no second copy of
// its rules here); only the chosen list's filters are shown; a button copies the code.
// Without JavaScript, the form's button shows the same page.
(() => {
  const form = document.querySelector("form[data-embed-builder]");
  const result = document.querySelector("[data-embed-result]");
  if (!form || !result) return;

  function showChosenFilters() {
    const chosen = form.querySelector("input[name=show]:checked")?.value || "technologies";
    for (const fieldset of form.querySelectorAll("[data-embed-for]")) {
      fieldset.hidden = fieldset.dataset.embedFor !== chosen;
    }
  }

  function showCopyButton() {
    const button = result.querySelector("[data-embed-copy]");
    if (button && navigator.clipboard) button.hidden = false;
  }

  let pending = null;
  async function refresh() {
    if (!form.checkValidity()) return; // the number of items out of range, say: keep the last preview
    const url = `${form.action}?${new URLSearchParams(new FormData(form))}`;
    pending?.abort();
    pending = new AbortController();
    try {
      const response = await fetch(url, { signal: pending.signal });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-embed-result]");
      if (!fresh || !fresh.querySelector("iframe")) return;
      const before = result.querySelector("iframe")?.getAttribute("src");
      if (before === fresh.querySelector("iframe").getAttribute("src")) return;
      result.replaceChildren(...fresh.childNodes);
      showCopyButton();
      history.replaceState(null, "", url);
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  }

  let typing = null;
  form.addEventListener("change", () => {
    showChosenFilters();
    refresh();
  });
  form.addEventListener("input", (event) => {
    if (event.target.matches("input[type=text], input[type=number]")) {
      clearTimeout(typing);
      typing = setTimeout(refresh, 500);
    }
  });
  result.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-embed-copy]");
    if (!button) return;
    await navigator.clipboard.writeText(result.querySelector("textarea").value);
    const status = result.querySelector("[data-embed-copied]");
    status.textContent = status.dataset.embedCopied;
  });
  showChosenFilters();
  showCopyButton();
})();
