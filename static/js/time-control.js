// The date control of the home and list pages, in place: another day's record without leaving
// the page. The form and its links work without this script (each day is a permalink); with it,
// the page asks its own address for the new day, replaces the parts marked data-swap (matched by
// id), points the map at its new address, keeps the address bar and history in step and says
// the day in the control's status line. Focus stays where it was; when the step link that had it
// is replaced, it goes to the same step, else the other one, else the date. Anything unexpected
// falls back to loading the address.
(() => {
  "use strict";

  const form = document.querySelector("form[data-time-control]");
  if (!form || !window.fetch || !window.DOMParser || !window.history.pushState) {
    return;
  }
  const dateInput = form.querySelector("input[name=as_of]");
  const DELAY_MS = 300; // while a day is typed or stepped with the arrow keys
  let shown = location.pathname + location.search;
  let request = null;
  let timer = null;

  function addressOfForm() {
    const url = new URL(form.action, location.href);
    const params = new URLSearchParams(new FormData(form));
    if (!params.get("as_of")) {
      params.delete("as_of"); // an empty day is today
    }
    url.search = params.toString();
    return url.href;
  }

  function swap(page, keepTyped) {
    const focused = document.activeElement;
    const step = focused && focused.dataset ? focused.dataset.step : undefined;
    for (const fresh of page.querySelectorAll("[data-swap][id]")) {
      const current = document.getElementById(fresh.id);
      if (current) {
        // A disclosure (the filters, folded on a phone) stays as the visitor left it.
        for (const details of fresh.querySelectorAll("details[id]")) {
          const shown = document.getElementById(details.id);
          if (shown) {
            details.open = shown.open;
          }
        }
        current.replaceWith(document.importNode(fresh, true));
      }
    }
    // The map keeps its element and changes its address, which redraws it.
    const maps = document.querySelectorAll("figure.map");
    page.querySelectorAll("figure.map").forEach((fresh, index) => {
      const map = maps[index];
      if (!map) {
        return;
      }
      const object = map.querySelector("object");
      const freshObject = fresh.querySelector("object");
      if (object.getAttribute("data") !== freshObject.getAttribute("data")) {
        object.setAttribute("data", freshObject.getAttribute("data"));
      }
      object.replaceChildren(...[...freshObject.childNodes].map((n) => document.importNode(n, true)));
      map.querySelector("figcaption").replaceWith(
        document.importNode(fresh.querySelector("figcaption"), true),
      );
    });
    const freshForm = page.querySelector("form[data-time-control]");
    const freshInput = freshForm.querySelector("input[name=as_of]");
    if (!keepTyped) {
      dateInput.value = freshInput.value;
    }
    for (const name of ["aria-invalid", "aria-describedby"]) {
      if (freshInput.hasAttribute(name)) {
        dateInput.setAttribute(name, freshInput.getAttribute(name));
      } else {
        dateInput.removeAttribute(name);
      }
    }
    form.dataset.announce = freshForm.dataset.announce;
    document.title = page.title;
    if (focused && !document.body.contains(focused)) {
      const again = step && form.querySelector(`[data-step="${step}"]`);
      (again || form.querySelector("[data-step]") || dateInput).focus();
    }
  }

  async function show(address, { push, keepTyped = false }) {
    clearTimeout(timer);
    if (request) {
      request.abort();
    }
    const controller = new AbortController();
    request = controller;
    form.setAttribute("aria-busy", "true");
    let page;
    try {
      const response = await fetch(address, {
        signal: controller.signal,
        headers: { Accept: "text/html" },
      });
      if (!response.ok) {
        throw new Error(`${response.status} ${response.statusText}`);
      }
      page = new DOMParser().parseFromString(await response.text(), "text/html");
      if (!page.querySelector("form[data-time-control]")) {
        throw new Error("not a page with a date control");
      }
    } catch (error) {
      if (error.name !== "AbortError") {
        location.assign(address);
      }
      return;
    } finally {
      if (request === controller) {
        request = null;
        form.removeAttribute("aria-busy");
      }
    }
    swap(page, keepTyped);
    const url = new URL(address, location.href);
    shown = url.pathname + url.search;
    if (push && shown !== location.pathname + location.search) {
      history.pushState({ timeControl: true }, "", url.href);
    }
    document.getElementById("time-status").textContent = form.dataset.announce;
  }

  function plainClick(event) {
    return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    show(addressOfForm(), { push: true });
  });

  dateInput.addEventListener("change", () => {
    clearTimeout(timer);
    if (dateInput.value && dateInput.checkValidity()) {
      timer = setTimeout(() => show(addressOfForm(), { push: true, keepTyped: true }), DELAY_MS);
    }
  });

  form.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-step]");
    if (link && plainClick(event)) {
      event.preventDefault();
      show(link.href, { push: true });
    }
  });

  window.addEventListener("popstate", () => {
    // A jump within the page (the skip link) changes the address's fragment only.
    if (location.pathname + location.search !== shown) {
      show(location.href, { push: false });
    }
  });
})();
