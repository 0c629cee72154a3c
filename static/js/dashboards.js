// Dashboards: choosing a period shows it at once; "Months of my choice" reveals the two month fields.
// Without this script the form still works with its "Show" button (all fields visible).
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll(".dashboard-filters")) {
    const period = form.querySelector("select[name=period]");
    const sync = () => form.classList.toggle("is-custom", period.value === "custom");
    form.classList.add("has-script");
    sync();
    for (const select of form.querySelectorAll("select")) {
      select.addEventListener("change", () => {
        sync();
        if (period.value !== "custom") form.requestSubmit();
      });
    }
  }
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});
