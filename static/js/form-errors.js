// Progressive: after the server refused a form, the page opens on its error summary. Moving the focus there
// makes screen readers read it (role="alert" alone is not always announced on a fresh page) and puts keyboard
// users right before the links to the fields. Without JavaScript the summary is still the first thing in the form.
(() => {
  // After a redirect (an appointment moved or cancelled, details saved) the message above the page is news:
  // a live region on a fresh page is not read out, so take the focus there, as for an error summary.
  const flashes = document.querySelector(".flashes");
  const summary = document.querySelector(".form-errors") || flashes;
  if (!summary) return;
  if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
  // Never take the focus from something the person already chose (an autofocus field, a link to #anchor).
  if (document.activeElement && document.activeElement !== document.body) return;
  summary.focus();

  // A summary link leads to a field; a radio group's id sits on its list, so focus the first option inside.
  summary.querySelectorAll("a[href^='#']").forEach((link) => {
    link.addEventListener("click", (event) => {
      const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) return;
      const control = target.matches("input, select, textarea, button")
        ? target : target.querySelector("input, select, textarea, button");
      if (!control) return;
      event.preventDefault();
      control.focus();
      control.scrollIntoView({ block: "center" });
    });
  });
})();
