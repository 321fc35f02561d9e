"""SiteForm, the base of the forms (firestorm/web/forms.py): a file reaches only a field that
takes files; sent under a text field's name, it is refused with 400."""

from io import BytesIO

from csv_helpers import csv_bytes, row
from review_helpers import HTMX, as_drawn, page_text, saved, token_of


def file_named(name: str) -> dict:
    return {name: (BytesIO(b"not text"), "words.txt")}


def test_a_file_sent_as_the_reviews_text_is_refused(app, client, login_as, review_of):
    review_id = review_of(login_as(), body="What I wrote.")

    response = client.post(
        f"/my/reviews/{review_id}",
        data={"csrf_token": token_of(client), **as_drawn(app, review_id), **file_named("body")},
    )

    assert response.status_code == 400
    assert "That request didn" in page_text(response)
    assert saved(app, review_id).body == "What I wrote."


def test_a_file_sent_as_a_return_note_is_refused_in_the_error_box(
    app, client, login_as, people, submit
):
    review_id = submit(people["robin"])
    login_as("collective")

    response = client.post(
        f"/collective/reviews/{review_id}/return",
        data={"csrf_token": token_of(client), **as_drawn(app, review_id), **file_named("note")},
        headers=HTMX,
    )

    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#request-error"
    assert saved(app, review_id).state == "submitted"


def test_a_field_that_takes_files_still_gets_them(client, login_as):
    login_as("collective")
    books = csv_bytes(row("A Book Sent as a File"))

    response = client.post(
        "/collective/books/import",
        data={"csrf_token": token_of(client), "file": (BytesIO(books), "books.csv")},
    )

    assert response.status_code == 200
    assert "A Book Sent as a File" in page_text(response)


def test_a_file_sent_as_the_sign_in_email_or_password_is_refused(client, make_user):
    make_user(email="robin@example.org")

    for field, other in (
        ("email", {"password": "x"}),
        ("password", {"email": "robin@example.org"}),
    ):
        response = client.post(
            "/login", data={"csrf_token": token_of(client), **other, **file_named(field)}
        )

        assert response.status_code == 400, field
        assert "That request didn" in page_text(response)


def test_a_file_sent_as_a_new_display_name_or_password_is_refused(client, login_as):
    login_as("volunteer")

    name = client.post(
        "/account/name", data={"csrf_token": token_of(client), **file_named("display_name")}
    )
    password = client.post(
        "/account/password",
        data={"csrf_token": token_of(client), **file_named("current_password")},
    )

    for refused in (name, password):
        assert "That request didn&#39;t make sense" in page_text(refused, status=400)
