"""Writing a review in a real browser: the picker by keyboard, live preview, saving and sending
without a reload, the same through plain forms without JavaScript, and axe on every page."""

import re

import pytest
from browser_checks import describe_violations, mark_this_page_load, page_was_not_reloaded
from playwright.sync_api import expect
from sqlalchemy import select

from firestorm.database import db
from firestorm.reviews.models import Review, ReviewState

SEARCH_BOX = "Find the book by title, author or ISBN"
REVIEW_TEXT = (
    "A *slow* read, and worth it. Zibechi walks through the neighbourhood councils of El Alto "
    "and shows how people organise without a state."
)


@pytest.fixture
def shelves(make_book):
    return {
        "dispersing": make_book(
            "Dispersing Power",
            subtitle="Social Movements as Anti-State Forces",
            authors=["Raúl Zibechi"],
            publisher="AK Press",
            stock=2,
        ),
        "emergent": make_book("Emergent Strategy", authors=["adrienne maree brown"]),
    }


@pytest.fixture
def volunteer(context, sign_in_browser):
    """The `page` fixture's browser, signed in as a volunteer."""
    return sign_in_browser(context)


@pytest.fixture
def no_js_page(new_context, sign_in_browser):
    context = new_context(java_script_enabled=False)
    user = sign_in_browser(context)
    return context.new_page(), user


@pytest.fixture
def review_in_state(shelves, review_of):
    """review_in_state(author, state, …) -> the id of the author's review of a book on the
    shelves, brought to that state through the workflow (see review_of in conftest.py)."""

    def review_in_state(author, state, body=REVIEW_TEXT, book="dispersing", **options):
        return review_of(author, state, body=body, book=shelves[book], **options)

    return review_in_state


def review_of(app, author) -> Review:
    with app.app_context():
        review = db.session.scalar(select(Review).where(Review.reviewer_id == author.id))
        db.session.expunge(review)
        return review


# --- With JavaScript -------------------------------------------------------------------------


def test_the_count_of_choices_is_one_live_region_kept_across_searches(page, volunteer, shelves):
    page.goto("/my/reviews/new")
    count = page.locator("#book-choice-count")
    count.evaluate("element => { element.__keptAcrossSearches = true }")

    page.get_by_label(SEARCH_BOX).press_sequentially("dispersing", delay=50)
    expect(count).to_have_text("1 book matches “dispersing”.")
    page.get_by_label(SEARCH_BOX).fill("zzz")
    expect(count).to_have_text("No books match “zzz”. Check the spelling or try fewer words.")

    # The same element, announced politely, and not inside the part htmx replaces.
    assert count.evaluate("element => element.__keptAcrossSearches === true")
    assert count.get_attribute("role") == "status"
    expect(page.locator("#book-choices #book-choice-count")).to_have_count(0)


def test_choose_a_book_by_keyboard_write_with_a_live_preview_save_and_send(
    page, app, volunteer, shelves
):
    page.goto("/my/reviews/new")
    page.get_by_label(SEARCH_BOX).focus()

    page.keyboard.type("dispersing")
    choice = page.get_by_role("radio", name=re.compile(r"^Dispersing Power by Raúl Zibechi"))
    expect(choice).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(1)
    page.keyboard.press("Tab")  # the "Find books" button
    page.keyboard.press("Tab")  # into the group of choices
    expect(choice).to_be_focused()
    page.keyboard.press("Space")
    expect(choice).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Start the review")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your review of Dispersing Power")
    mark_this_page_load(page)
    text = page.get_by_label("Your review")
    text.press_sequentially("A *slow* read.")
    expect(page.locator("#preview em")).to_have_text("slow")
    expect(page.locator("#review-body-count")).to_have_text("14 / 10000 characters")

    text.fill(REVIEW_TEXT)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#editor-status")).to_contain_text(re.compile(r"Draft saved at \d"))
    assert review_of(app, volunteer).body == REVIEW_TEXT

    page.get_by_role("button", name="Send to the collective").click()
    sent = page.get_by_role("heading", name="Sent to the collective for approval")
    expect(sent).to_be_visible()
    expect(sent).to_be_focused()
    assert page_was_not_reloaded(page)
    review = review_of(app, volunteer)
    assert (review.state, review.round, review.body) == (ReviewState.SUBMITTED, 1, REVIEW_TEXT)


def test_saving_twice_in_a_row_keeps_up_with_the_version(page, app, volunteer, review_in_state):
    review_id = review_in_state(volunteer, ReviewState.DRAFT, body="First.")
    first_version = review_of(app, volunteer).version
    page.goto(f"/my/reviews/{review_id}/edit")
    mark_this_page_load(page)
    text = page.get_by_label("Your review")
    save = page.get_by_role("button", name="Save draft")

    for saves, typed in enumerate(("Second.", "Third."), start=1):
        text.fill(typed)
        save.click()
        # Each answer brings the new version, so the next save is not taken for a stale tab.
        expect(page.locator("#review-version")).to_have_value(str(first_version + saves))
        assert review_of(app, volunteer).body == typed
    expect(page.locator("#editor-status")).to_contain_text("Draft saved at")
    assert page_was_not_reloaded(page)


def test_a_text_too_short_to_send_stays_with_the_message_by_the_field(
    page, app, volunteer, review_in_state
):
    review_id = review_in_state(volunteer, ReviewState.DRAFT, body="")
    page.goto(f"/my/reviews/{review_id}/edit")
    mark_this_page_load(page)

    page.get_by_label("Your review").fill("Nearly there.")
    page.get_by_role("button", name="Send to the collective").click()

    expect(page.locator("#review-body-errors")).to_contain_text(
        "needs at least 100 characters before it goes to the collective; this one has 13"
    )
    expect(page.get_by_label("Your review")).to_have_value("Nearly there.")
    expect(page.get_by_label("Your review")).to_be_focused()
    assert page_was_not_reloaded(page)
    assert review_of(app, volunteer).state == ReviewState.DRAFT


def test_withdrawing_asks_for_confirmation_in_plain_words(page, app, volunteer, review_in_state):
    review_id = review_in_state(volunteer, ReviewState.SUBMITTED)
    page.goto(f"/my/reviews/{review_id}/edit")
    mark_this_page_load(page)
    withdraw = page.get_by_role("link", name="Withdraw this review")
    withdrawals, answers = [], []

    def note_withdrawal(request):
        if "/withdraw" in request.url:
            withdrawals.append(request.method)

    def cancel_then_confirm(dialog):
        answers.append((dialog.type, dialog.message))
        if len(answers) == 1:
            dialog.dismiss()
        else:
            dialog.accept()

    page.on("request", note_withdrawal)
    page.on("dialog", cancel_then_confirm)

    withdraw.click()  # "Cancel"
    with page.expect_response(lambda response: "/withdraw" in response.url) as withdrawn:
        withdraw.click()  # "OK"

    assert withdrawn.value.status == 200
    expect(page.get_by_role("heading", name="Withdrawn", exact=True)).to_be_visible()
    question = (
        "Withdraw your review of “Dispersing Power”? It leaves the collective's approval queue. "
        "Your text stays here: you can take it up again and send it later."
    )
    assert answers == [("confirm", question), ("confirm", question)]
    # Only the confirmed click reached the server: the cancelled one sent nothing.
    assert withdrawals == ["POST"]
    assert page_was_not_reloaded(page)
    assert review_of(app, volunteer).state == ReviewState.WITHDRAWN


def test_a_book_page_leads_to_a_review_with_the_book_chosen(page, volunteer, shelves):
    page.goto(f"/books/{shelves['emergent'].id}")

    page.get_by_role("link", name="Write a review").click()

    expect(page.get_by_role("radio", name=re.compile("^Emergent Strategy"))).to_be_checked()


# --- Without JavaScript ----------------------------------------------------------------------


def test_the_same_through_plain_forms_without_javascript(app, no_js_page, shelves):
    page, volunteer = no_js_page
    page.goto("/my/reviews/new")

    page.get_by_label(SEARCH_BOX).fill("dispersing")
    page.get_by_role("button", name="Find books").click()
    expect(page).to_have_url(re.compile(r"/my/reviews/new\?q=dispersing$"))
    choice = page.get_by_role("radio", name=re.compile(r"^Dispersing Power"))
    choice.focus()
    page.keyboard.press("Space")
    expect(choice).to_be_checked()
    page.get_by_role("button", name="Start the review").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your review of Dispersing Power")
    page.get_by_label("Your review").fill(REVIEW_TEXT)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview em")).to_have_text("slow")
    expect(page.get_by_label("Your review")).to_have_value(REVIEW_TEXT)
    expect(page.locator("#review-body-count")).to_have_text(
        f"{len(REVIEW_TEXT)} / 10000 characters"
    )

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    assert review_of(app, volunteer).body == REVIEW_TEXT

    page.get_by_role("button", name="Send to the collective").click()
    expect(page).to_have_url(re.compile(r"/my/$"))
    expect(page.get_by_role("heading", name="Waiting for approval (1)")).to_be_visible()
    review = review_of(app, volunteer)
    assert (review.state, review.round) == (ReviewState.SUBMITTED, 1)


def test_withdrawing_without_javascript_goes_through_a_confirmation_page(
    app, no_js_page, review_in_state
):
    page, volunteer = no_js_page
    review_id = review_in_state(volunteer, ReviewState.SUBMITTED)
    page.goto(f"/my/reviews/{review_id}/edit")

    page.get_by_role("link", name="Withdraw this review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Withdraw your review of Dispersing Power?"
    )
    page.get_by_role("button", name="Yes, withdraw it").click()

    expect(page.get_by_text("You withdrew your review of “Dispersing Power”")).to_be_visible()
    assert review_of(app, volunteer).state == ReviewState.WITHDRAWN


# --- Nothing typed runs ----------------------------------------------------------------------

ATTACKS = "\n\n".join(
    [
        "<script>window.__xss = 'script'</script>",
        "<img src=x onerror=\"window.__xss = 'img'\">",
        "[click me](javascript:window.__xss='link')",
        "<svg onload=\"window.__xss = 'svg'\"><circle r=5 /></svg>",
        "<b onmouseover=\"window.__xss = 'b'\">raw html</b>",
    ]
)
DANGEROUS = "script:not([src]), img, svg, iframe, b, [onerror], [onload], [href^='javascript']"


def test_typed_html_and_scripts_show_as_text_in_the_preview_and_my_reviews(
    page, app, volunteer, review_in_state
):
    review_id = review_in_state(volunteer, ReviewState.DRAFT, body="")
    page.goto(f"/my/reviews/{review_id}/edit")

    page.get_by_label("Your review").fill(ATTACKS)
    expect(page.locator("#preview")).to_contain_text("<script>window.__xss = 'script'</script>")
    expect(page.locator("#preview a")).to_have_count(0)
    assert page.locator(f"main :is({DANGEROUS})").count() == 0
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#editor-status")).to_contain_text("Draft saved at")

    page.goto("/my/")
    expect(page.locator(".my-review-excerpt")).to_contain_text("<script>")
    assert page.locator(f"main :is({DANGEROUS})").count() == 0
    assert page.evaluate("() => window.__xss") is None


# --- Accessibility ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "path"),
    [
        (ReviewState.RETURNED, "/my/"),
        (ReviewState.DRAFT, "/my/reviews/new"),
        (ReviewState.DRAFT, "/my/reviews/new?q=power"),
        (ReviewState.RETURNED, "/my/reviews/{review_id}/edit"),
        (ReviewState.SUBMITTED, "/my/reviews/{review_id}/edit"),
        (ReviewState.PUBLISHED, "/my/reviews/{review_id}/withdraw"),
    ],
    ids=["my-reviews", "new-review", "new-review-choices", "edit", "sent", "withdraw"],
)
def test_writing_pages_have_no_accessibility_violations(
    page, axe_violations, volunteer, review_in_state, state, path
):
    review_id = review_in_state(volunteer, state, note="Say who it is for.")
    review_in_state(volunteer, ReviewState.DRAFT, book="emergent")

    page.goto(path.format(review_id=review_id))

    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_the_editor_has_no_accessibility_violations_after_htmx_redraws_it(
    page, axe_violations, volunteer, review_in_state
):
    review_id = review_in_state(volunteer, ReviewState.DRAFT, body="")
    page.goto(f"/my/reviews/{review_id}/edit")
    page.get_by_label("Your review").fill("Too short.")
    page.get_by_role("button", name="Send to the collective").click()
    expect(page.locator("#review-body-errors")).to_be_visible()

    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
