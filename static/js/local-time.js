// Progressive enhancement: show an event's start in the visitor's own time zone too.
// Without JavaScript the page shows the time in the event's time zone, which is enough.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.querySelector("time[data-local-time]");
  const target = document.querySelector("[data-local-time-target]");
  if (!source || !target || !window.Intl) return;
  const start = new Date(source.getAttribute("datetime"));
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const text = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(start);
  target.textContent = `${text} (${zone})`;
  target.hidden = false;
});
