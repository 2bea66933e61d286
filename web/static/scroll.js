// A table wider than the screen scrolls sideways inside its .scroll box. A box that does
// takes the keyboard focus (the arrow keys then scroll it) and is named after its table,
// so what lies beyond the right edge can be reached without a mouse (WCAG 2.1.1).
(function () {
  const boxes = Array.from(document.querySelectorAll(".scroll"));
  if (!boxes.length) return;

  function name(box) {
    const table = box.querySelector("table");
    if (table && table.caption && table.caption.textContent.trim()) return table.caption.textContent.trim();
    const section = box.closest("section");
    const heading = (section && section.querySelector("h2, h3")) || document.querySelector("h1");
    return (heading ? heading.textContent.trim() + ": " : "") + "table, scrolls sideways";
  }

  function update() {
    for (const box of boxes) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name(box));
        box.dataset.keyboardScroll = "true";
      } else if (!scrolls && box.dataset.keyboardScroll) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.keyboardScroll;
      }
    }
  }
  update();
  window.addEventListener("resize", update);
})();
