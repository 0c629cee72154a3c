// Bootstrap progress bars without inline style, so the pages stay CSP-ready: the server writes
// <div class="progress-bar" data-progress="42"> and the width is set here, from script, on page load
// and whenever htmx swaps new content in (the import page polls its progress every second).
function progressBarsSize(root) {
  for (const bar of root.querySelectorAll("[data-progress]")) {
    bar.style.width = `${Number(bar.dataset.progress) || 0}%`;
  }
}

document.addEventListener("DOMContentLoaded", () => progressBarsSize(document));
document.addEventListener("htmx:load", (event) => progressBarsSize(event.target));
