"""State changes only on POST: a HEAD or GET never withdraws, approves, invites or signs in,
whatever the view (issue 11, defect 1: HEAD once withdrew a published review)."""

from review_helpers import page_text, saved

from firestorm.reviews.models import ReviewState

# Views that answer GET with a form and POST with its effect, the POST branch guarded by
# WTForms' validate_on_submit(), which is true for POST only (never for HEAD).
FORM_PAGES = {
    "auth.login",
    "auth.accept_invitation",
    "auth.forgot_password",
    "auth.reset_password",
    "collective.invitations",
}


def test_head_never_withdraws_a_review(client, app, login_as, make_book, publish_review):
    author = login_as()
    book = make_book()
    review = publish_review(book, author, body="Still on the shelf.")

    response = client.head(f"/my/reviews/{review.id}/withdraw")

    assert response.status_code == 200
    assert "Still on the shelf." in page_text(client.get(f"/books/{book.id}"))
    assert saved(app, review.id).state == ReviewState.PUBLISHED


def test_every_view_takes_get_or_post_but_not_both_unless_it_is_a_form_page(app):
    both = {
        rule.endpoint for rule in app.url_map.iter_rules() if {"GET", "POST"} <= set(rule.methods)
    }

    assert both == FORM_PAGES


def test_head_on_the_invitations_page_invites_nobody(client, login_as):
    login_as("collective")

    client.head("/collective/invitations?email=someone%40example.org&role=volunteer")

    assert "someone@example.org" not in page_text(client.get("/collective/invitations"))
