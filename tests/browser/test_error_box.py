"""When an htmx request fails, the message appears in the page's message box, and nothing the
person typed is lost."""

from playwright.sync_api import expect

TEXT = "Reading *Kindred* again, slowly, with the reading group on Thursday evenings."


def test_a_session_ending_while_writing_keeps_the_text_and_says_what_to_do(
    page, context, sign_in_browser, make_book, review_of
):
    volunteer = sign_in_browser(context)
    review_id = review_of(volunteer, body="", book=make_book("Kindred"))
    page.goto(f"/my/reviews/{review_id}/edit")

    context.clear_cookies()  # the session ends, as on a shared computer
    editor = page.locator("#review-body")
    editor.fill(TEXT)

    message = page.locator("#request-error")
    expect(message).to_contain_text("This form has expired")
    expect(message).to_contain_text("Copy anything you typed")
    expect(editor).to_have_value(TEXT)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kindred")
