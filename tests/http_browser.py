"""A small HTTP client for tests against a real server (the load, two-server and fault tests,
the database restart): a cookie jar, the page's CSRF token, htmx headers, a tally of what the
server answered, and the steps they share. Not a test module."""

import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

# htmx's header on signed-in pages, or a form's field (the sign-in form).
TOKEN = re.compile(r'(?:"X-CSRFToken": "|name="csrf_token" value=")([^"]+)"')


class Browser:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.token = ""
        self.tally = {"requests": 0, "statuses": {}, "done": {}}

    def sign_in(self, email: str, password: str) -> None:
        self.get("/login")
        self.send("/login", {"email": email, "password": password}, htmx=False)
        self.get("/my/")  # a signed-in page: its token belongs to the new session

    def get(self, path: str) -> str:
        status, page = self.send(path)
        if match := TOKEN.search(page):
            self.token = match.group(1)
        return page

    def post(self, path: str, data: dict, action: str) -> int:
        status, _ = self.send(path, data)
        if status == 200:
            self.tally["done"][action] = self.tally["done"].get(action, 0) + 1
        return status

    def send(self, path: str, data: dict | None = None, htmx: bool = True) -> tuple[int, str]:
        headers = {"HX-Request": "true", "HX-Request-Type": "partial"} if htmx and data else {}
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrf_token": self.token}).encode()
        return self.answer(urllib.request.Request(self.base_url + path, data=body, headers=headers))

    def upload(self, path: str, data: dict, files: dict[str, bytes]) -> tuple[int, str]:
        """A form with files, as a browser sends it without htmx (multipart/form-data); each
        file by its field's name, sent as upload.jpg."""
        boundary = secrets.token_hex(16)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + f"{value}\r\n".encode()
            for name, value in {**data, "csrf_token": self.token}.items()
        ]
        for name, content in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                'filename="upload.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
            )
            parts.append(head.encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.answer(urllib.request.Request(self.base_url + path, data=body, headers=headers))

    def answer(self, request: urllib.request.Request) -> tuple[int, str]:
        """Send the request (following redirects), and count the answer's status."""
        try:
            with self.opener.open(request, timeout=60) as response:
                status, page = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, page = error.code, error.read().decode()
        self.tally["requests"] += 1
        self.tally["statuses"][status] = self.tally["statuses"].get(status, 0) + 1
        return status, page


def place_hold(browser: Browser, book_id: int, email: str = "customer@example.org") -> int | None:
    """A customer holds one copy: the server's answer, or None when the form offers nothing to
    send (out of stock, and nothing to order from it). Once the copies are all held the form
    refuses (422)."""
    form = browser.get(f"/books/{book_id}/hold")
    key = re.search(
        r'name="request_key"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="request_key"', form
    )
    if key is None:
        return None
    fields = {
        "kind": "hold",
        "request_key": next(filter(None, key.groups())),
        "name": "Load Customer",
        "email": email,
        "quantity": "1",
    }
    return browser.post(f"/books/{book_id}/hold", fields, "hold")
