"""The store header and the two colour schemes, in Chromium: on a phone the header keeps to a
third of the screen for a signed-in member (their pages folded into "Your pages", which opens
with or without JavaScript); the focus ring stands 3:1 against the dark header and the page in
both schemes; the dark scheme follows the system, and the shelf-talker pages pass axe in both."""

import pytest
from browser_checks import PHONE, assert_no_violations
from playwright.sync_api import expect

WIDE = {"width": 1024, "height": 700}


def luminance(css_colour: str) -> float:
    """WCAG relative luminance of an "rgb(r, g, b)" colour, as computed styles give it."""
    channels = css_colour.split("(")[1].rstrip(")").replace("/", ",").split(",")[:3]
    linear = []
    for channel in channels:
        value = float(channel) / 255
        linear.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = linear
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    # Today's ring (#1c55b8) against the header (#1f1a17): the 2.5:1 the issue measured.
    assert contrast("rgb(28, 85, 184)", "rgb(31, 26, 23)") == pytest.approx(2.5, abs=0.1)


# --- On a phone --------------------------------------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_on_a_phone_a_members_header_keeps_to_a_third_of_the_screen(
    browser, base_url, sign_in_browser, javascript
):
    context = browser.new_context(base_url=base_url, viewport=PHONE, java_script_enabled=javascript)
    sign_in_browser(context, role="collective")
    page = context.new_page()
    page.goto("/")

    header = page.locator(".store-header").bounding_box()
    assert header["height"] <= PHONE["height"] / 3, header
    queue = page.get_by_role("link", name="Approval queue")
    expect(queue).to_be_hidden()

    page.get_by_text("Your pages").click()
    expect(queue).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    queue.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Approval queue")
    context.close()


def test_on_a_wide_screen_the_members_pages_show_without_a_click(page, context, sign_in_browser):
    sign_in_browser(context, role="collective")
    page.set_viewport_size(WIDE)
    page.goto("/")

    expect(page.get_by_role("link", name="Approval queue")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_text("Your pages")).to_be_hidden()


def test_the_folded_header_passes_axe_open_and_closed(
    page, context, sign_in_browser, axe_violations
):
    sign_in_browser(context, role="collective")
    page.set_viewport_size(PHONE)
    page.goto("/")
    assert_no_violations(page, axe_violations)

    page.get_by_text("Your pages").click()

    assert_no_violations(page, axe_violations)


# --- The focus ring ----------------------------------------------------------------------------


def focus_rings_in_header(page) -> list[tuple[str, str, str]]:
    """Tab from the top of the page through the header: (what, ring colour, ring style) for each
    element that takes the focus in it."""
    rings = []
    page.keyboard.press("Tab")  # the skip link
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const element = document.activeElement;
                if (!element.closest('.store-header')) return null;
                const style = getComputedStyle(element);
                return [element.textContent.trim(), style.outlineColor,
                        style.outlineStyle + ' ' + style.outlineWidth];
            }"""
        )
        if focused is None:
            return rings
        rings.append(tuple(focused))
    return rings


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_stands_out_against_the_dark_header(
    page, context, sign_in_browser, bookshop, scheme
):
    sign_in_browser(context, role="collective")
    page.set_viewport_size(WIDE)
    page.emulate_media(color_scheme=scheme)
    page.goto("/")
    header = page.locator(".store-header").evaluate("e => getComputedStyle(e).backgroundColor")

    rings = focus_rings_in_header(page)

    names = [name for name, _, _ in rings]
    for expected in ("Firestorm Cafe & Books", "view map", "Tue thru Sun", "Hours", "Sign out"):
        assert any(name.startswith(expected) for name in names), (expected, names)
    for name, colour, style in rings:
        assert style.startswith("solid 3px"), (name, style)
        assert contrast(colour, header) >= 3, (name, colour, header)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_stands_out_against_the_page(page, bookshop, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"/books/{bookshop['reviewed'].id}")
    link = page.get_by_role("link", name="Hold a copy for pickup")
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focused from the keyboard: the ring shows

    ring = link.evaluate("e => getComputedStyle(e).outlineColor")
    paper = page.locator("body").evaluate(
        "e => getComputedStyle(document.documentElement).backgroundColor"
    )

    assert contrast(ring, paper) >= 3, (ring, paper)


# --- The dark scheme ---------------------------------------------------------------------------


def test_the_pages_follow_the_systems_colour_scheme(page, bookshop):
    page.goto("/")
    root = page.locator("html")
    assert root.evaluate("e => getComputedStyle(e).colorScheme") == "light dark"
    light = root.evaluate("e => getComputedStyle(e).backgroundColor")

    page.emulate_media(color_scheme="dark")

    dark = root.evaluate("e => getComputedStyle(e).backgroundColor")
    text = root.evaluate("e => getComputedStyle(e).color")
    assert luminance(light) > 0.8 and luminance(dark) < 0.02
    assert contrast(text, dark) >= 7


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_shelf_talker_pages_pass_axe_in_both_schemes(
    page, context, sign_in_browser, bookshop, axe_violations, scheme
):
    sign_in_browser(context, role="collective")
    page.emulate_media(color_scheme=scheme)
    page.goto("/collective/shelf-talkers")
    assert_no_violations(page, axe_violations)

    page.get_by_label("Dispersing Power by Raúl Zibechi").check()
    page.get_by_label("A4 (210 × 297 mm)").check()
    page.get_by_role("button", name="Show the sheet to print").click()

    expect(page.get_by_role("heading", name="Dispersing Power")).to_be_visible()
    assert "paper=a4" in page.url
    assert_no_violations(page, axe_violations)

    page.goto("/collective/shelf-talkers/sheet?review=999999")
    expect(page.get_by_role("alert")).to_contain_text("not published")
    assert_no_violations(page, axe_violations)


@pytest.mark.parametrize(
    "path",
    [
        "/account",
        "/my/",
        "/my/reviews/new",
        "/collective/queue",
        "/collective/books",
        "/collective/books/new",
        "/collective/books/import",
        "/collective/holds",
        "/collective/hours",
        "/collective/people",
        "/collective/invitations",
        "/collective/shelves",
    ],
)
def test_a_members_pages_pass_axe_in_the_dark_scheme(
    page, context, sign_in_browser, bookshop, submit, axe_violations, path
):
    """Their light scheme is checked beside each feature; the dark one here, all together."""
    member = sign_in_browser(context, role="collective")
    submit(member)  # something in the queue, and on the dashboard
    page.emulate_media(color_scheme="dark")

    page.goto(path)

    assert_no_violations(page, axe_violations)
