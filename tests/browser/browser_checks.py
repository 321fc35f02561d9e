"""Helpers for the browser tests (not a test module itself): tests/browser/conftest.py puts this
folder on sys.path, so the browser tests say `from browser_checks import …`."""

# The narrowest phone the site is made for (tests/browser/test_phone_width.py walks every page
# at this width).
PHONE = {"width": 320, "height": 700}


def describe_violations(violations: list[dict]) -> str:
    """axe's findings as lines a person can act on: rule, impact, what to do, and where."""
    lines = [f"{len(violations)} accessibility violation(s):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:160]}")
    return "\n".join(lines)


def mark_this_page_load(page):
    """A full page load forgets window globals: if the mark survives, the page was not reloaded."""
    page.evaluate("() => { window.__marker = 1 }")


def page_was_not_reloaded(page) -> bool:
    return page.evaluate("() => window.__marker") == 1


def assert_no_violations(page, axe_violations) -> None:
    """axe finds nothing on the page as it is now (axe_violations: the conftest fixture)."""
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def assert_accessible_in_both_schemes(page, axe_violations) -> None:
    """axe finds nothing on the page as it is now, in the light scheme and in the dark one
    (the page is left in the light one)."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        violations = axe_violations(page)
        assert not violations, f"{scheme}: {describe_violations(violations)}"
    page.emulate_media(color_scheme="light")
