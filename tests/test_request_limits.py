"""Bodies past MAX_CONTENT_LENGTH are refused with 413, whether they say their length or are
sent chunked, and JSON bodies with 415 (firestorm/web/request_limits.py)."""

import io
from urllib.parse import urlencode

from review_helpers import HTMX, page_text, token_of

CHUNKED = {"wsgi.input_terminated": True}


def send_chunked(client, path, body: bytes):
    return client.post(
        path,
        input_stream=io.BytesIO(body),
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides=CHUNKED,
    )


def test_a_chunked_body_over_the_limit_is_refused_not_cut(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]

    response = send_chunked(client, "/login", b"email=" + b"x" * limit)

    assert response.status_code == 413
    assert "That file is too big" in page_text(response)


def test_a_body_with_a_length_over_the_limit_is_refused(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]

    response = client.post("/login", data={"email": "x" * limit})

    assert "That file is too big" in page_text(response, status=413)


def test_a_chunked_body_within_the_limit_is_read_whole(client, make_user):
    make_user(email="robin@example.org")
    form = urlencode(
        {"csrf_token": token_of(client), "email": "robin@example.org", "password": "correct horse"}
    )

    response = send_chunked(client, "/login", form.encode())

    assert response.status_code == 302
    # Signed in: the email and the password were both read.
    assert "robin@<wbr>example<wbr>.org" in page_text(client.get("/account"), status=200)
    assert client.get("/account").status_code == 200


def test_a_json_body_is_refused_not_read_as_the_form(client, login_as, make_book):
    """Flask-WTF reads a JSON body as the form: a field would get an object, not text."""
    login_as("volunteer")
    book = make_book()

    response = client.post(
        "/my/reviews",
        json={"book_id": book.id, "body": {"words": ["not", "text"]}},
        headers={"X-CSRFToken": token_of(client)},
    )

    assert response.status_code == 415
    assert "sent from one of our forms" in page_text(response)


def test_a_json_list_is_refused_over_htmx_in_the_error_box(client):
    response = client.post("/login", json=[{}], headers={**HTMX, "X-CSRFToken": token_of(client)})

    assert response.status_code == 415
    assert response.headers["HX-Retarget"] == "#request-error"
    assert "Go back to the page and send the form from there." in page_text(response)


def test_a_multipart_part_without_a_field_name_is_refused(client):
    """Werkzeug files such a part under None, on which the CSRF check would fail: a 500."""
    body = b"--b\r\nContent-Disposition: form-data\r\n\r\nhello\r\n--b--\r\n"

    response = client.post("/login", data=body, content_type="multipart/form-data; boundary=b")

    assert response.status_code == 400
    assert "That request didn" in page_text(response)
