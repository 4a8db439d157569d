"""What every page of a journey must hold, whatever the width and with or without
JavaScript: it fits the viewport, axe-core finds nothing serious, nothing is fetched from
another host, and the keyboard focus can be seen."""

from pathlib import Path

import axe_playwright_python

BLOCKING_IMPACTS = ("serious", "critical")
AXE_OPTIONS = {"resultTypes": ["violations"]}
# axe-core as shipped by axe-playwright-python; `conftest` loads it into every page that
# runs scripts, so each audit saves sending it again.
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()

FOCUS_STYLE = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {outline, shadow: style.boxShadow !== "none", tag: element.tagName,
          text: (element.labels && element.labels[0] ? element.labels[0].innerText
                 : element.innerText || element.value || "").trim()};
}"""


# Radios and checkboxes keep their own size and share a line with their label; every other
# field's label sits above it (a quantity box may stand beside its label).
MISPLACED_CONTROLS = """() => {
  const problems = [], box = element => element.getBoundingClientRect();
  const shown = element => element.checkVisibility() && box(element).width > 1;
  for (const control of document.querySelectorAll(
      "main input[type=radio], main input[type=checkbox]")) {
    const label = control.labels[0];
    if (!shown(control) || !label) continue;
    const c = box(control), l = box(label);
    const name = `« ${label.innerText.trim()} »: the ${control.type}`;
    if (c.width > 32) problems.push(`${name} is ${Math.round(c.width)} px wide`);
    if (c.top >= l.bottom || c.bottom <= l.top) problems.push(`${name} is off its label's line`);
  }
  for (const control of document.querySelectorAll(
      "main input:not([type=radio], [type=checkbox], [type=hidden], [type=number]),"
      + " main select, main textarea")) {
    const label = control.labels[0];
    if (!shown(control) || !label || !shown(label)) continue;
    if (box(label).bottom > box(control).top + 1) {
      problems.push(`« ${label.innerText.trim()} »: the field is beside its label, not under it`);
    }
  }
  return problems;
}"""


def overflow(page) -> dict | None:
    """The widths when the page is wider than its viewport (it scrolls sideways), else None."""
    widths = page.evaluate(
        "() => ({scrollWidth: document.documentElement.scrollWidth,"
        " innerWidth: window.innerWidth})")
    return widths if widths["scrollWidth"] > widths["innerWidth"] else None


def wide_elements(page) -> list[str]:
    """The elements that reach beyond the right edge, to say what overflows."""
    return page.evaluate("""() => [...document.querySelectorAll("body *")]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 8)
      .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} `
                + `(${Math.round(e.getBoundingClientRect().width)} px)`)""")


def blocking_violations(page, audit_page=None) -> list[dict]:
    """The serious and critical axe-core violations of `page`. Axe needs JavaScript: a page
    shown without it is audited as rendered, in `audit_page` (JavaScript on, the site's
    scripts blocked) at the same address and width."""
    target = page if audit_page is None else _rendered_copy(page, audit_page)
    if not target.evaluate("() => 'axe' in window"):
        target.evaluate(AXE_SOURCE)
    results = target.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [violation for violation in results["violations"]
            if violation["impact"] in BLOCKING_IMPACTS]


def _rendered_copy(page, audit_page):
    html, url = page.content(), page.url
    audit_page.set_viewport_size(page.viewport_size)
    audit_page.unroute("**/*")
    audit_page.route("**/*", lambda route: (
        route.fulfill(body=html, content_type="text/html; charset=utf-8")
        if route.request.url == url else
        route.abort() if route.request.resource_type == "script" else route.continue_()))
    audit_page.goto(url)
    return audit_page


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}"
                     f" ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: "
                         f"{node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_page_holds(page, audit_page=None) -> None:
    """The page fits its viewport, its form controls sit with their labels, it passes
    axe-core, and it fetched nothing elsewhere."""
    too_wide = overflow(page)
    assert too_wide is None, (
        f"{page.url} is {too_wide['scrollWidth']} px wide in a {too_wide['innerWidth']} px "
        f"viewport; beyond the edge: {wide_elements(page)}")
    misplaced = page.evaluate(MISPLACED_CONTROLS)
    assert misplaced == [], f"{page.url} at {page.viewport_size['width']} px: {misplaced}"
    violations = blocking_violations(page, audit_page)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"
    assert page.external_requests == [], page.external_requests


def focus_style(page) -> dict:
    """The focused element's label (or text) and whether its focus ring shows."""
    return page.evaluate(FOCUS_STYLE)
