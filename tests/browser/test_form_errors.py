"""A form with mistakes, in real Chromium: the errors are announced, tied to their fields, pass axe-core,
and nothing the person typed is lost."""

from __future__ import annotations

import pytest

from tests.browser.conftest import AXE_TAGS, LiveServer

ERROR_STATE = """() => {
  const problems = [];
  const summary = document.querySelector(".form-errors");
  if (!summary || !["alert", "status"].includes(summary.getAttribute("role")))
    problems.push("no error summary with role=alert at the top of the form");
  document.querySelectorAll(".form-errors a[href^='#']").forEach(a => {
    const target = document.getElementById(a.getAttribute("href").slice(1));
    if (!target) problems.push(`summary link ${a.href} leads nowhere`);
  });
  document.querySelectorAll("[aria-invalid=true]").forEach(input => {
    const ids = (input.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
    const said = ids.map(id => (document.getElementById(id) || {}).textContent || "").join(" ").trim();
    if (!said) problems.push(`#${input.id} is invalid but no message is tied to it`);
  });
  if (!document.querySelector("[aria-invalid=true]")) problems.push("no field is marked aria-invalid");
  return problems;
}"""


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_booking_form_errors_are_announced_and_tied_to_their_fields(language, new_page, live_server: LiveServer,
                                                                     axe_script):
    page = new_page(width=320)
    page.context.add_init_script(path=str(axe_script))
    scenario = live_server.scenario
    page.goto(f"/inschrijven/{scenario.moment_id}/{scenario.slot_ids[0]}?lang={language}")
    page.fill("#email", "geen-adres")
    page.fill("#household_size", "0")
    page.click("main form button[type=submit].primary")
    page.wait_for_load_state()

    assert page.evaluate(ERROR_STATE) == []
    # static/js/form-errors.js: the page opens with the focus on the summary, so a screen reader reads it.
    assert page.evaluate("() => document.activeElement.classList.contains('form-errors')")
    assert page.input_value("#email") == "geen-adres", "what the person typed was lost"
    assert page.input_value("#household_size") == "0"
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))", AXE_TAGS)
    assert violations == []
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 320


def test_error_summary_link_takes_the_keyboard_to_the_field(new_page, live_server: LiveServer):
    page = new_page(width=1280)
    scenario = live_server.scenario
    page.goto(f"/inschrijven/{scenario.moment_id}/{scenario.slot_ids[0]}?lang=nl")
    page.fill("#household_size", "0")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submit from the field, keyboard only
    assert page.evaluate("() => document.activeElement.classList.contains('form-errors')")
    page.keyboard.press("Tab")
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert href and href.startswith("#"), "the first Tab after the summary does not reach its first link"
    page.keyboard.press("Enter")
    field = page.evaluate("(id) => { const t = document.getElementById(id), a = document.activeElement;"
                          " return a === t || t.contains(a); }", href[1:])
    assert field, f"Enter on the summary link {href} did not put the focus on that field"
