// Naboambassadør — the only page script besides Bootstrap and htmx. No inline JavaScript anywhere:
// behaviour hangs on data attributes so the pages can run under a strict Content-Security-Policy.

// <form data-confirm="Remove this ambassador?"> or <button type="submit" data-confirm="…"> asks before
// submitting. Listening on the document in the capture phase runs before htmx's own submit handler,
// so it guards hx-post forms too (for htmx elements that are not forms, use hx-confirm).
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    const source = event.submitter?.closest("[data-confirm]") ?? form.closest("[data-confirm]");
    if (source && !window.confirm(source.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);
