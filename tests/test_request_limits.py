"""Bodies past MAX_CONTENT_LENGTH are refused with 413, whether they say their length or are
sent chunked (firestorm/web/request_limits.py)."""

import io
from urllib.parse import urlencode

from review_helpers import page_text, token_of

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

    assert response.status_code == 413


def test_a_chunked_body_within_the_limit_is_read_whole(client, make_user):
    make_user(email="robin@example.org")
    form = urlencode(
        {"csrf_token": token_of(client), "email": "robin@example.org", "password": "correct horse"}
    )

    response = send_chunked(client, "/login", form.encode())

    assert response.status_code == 302
    assert client.get("/account").status_code == 200
