// The list's filters on a narrow screen: folded, under their summary, so the results come first.
// The HTML has them open, so without this script they show on every screen; on a wide one the
// summary is hidden (site.css) and they stay open. A form with an error stays open.
(() => {
  "use strict";

  const narrow = window.matchMedia("(max-width: 40rem)");
  const folds = () => document.querySelectorAll("details[data-fold]");

  if (narrow.matches) {
    for (const fold of folds()) {
      if (!fold.querySelector("[aria-invalid]")) {
        fold.open = false;
      }
    }
  }
  // Widened (a phone turned, a window resized): open again, since the summary is then hidden.
  narrow.addEventListener("change", () => {
    if (!narrow.matches) {
      for (const fold of folds()) {
        fold.open = true;
      }
    }
  });
})();
