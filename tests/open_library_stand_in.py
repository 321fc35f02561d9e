"""A local stand-in for Open Library (the books API and the covers server on one port), answering
in its documented shapes: `/isbn/{isbn}.json` redirects to the edition's own address, as Open
Library does; authors and works by their keys; covers at `/b/isbn/{isbn}-L.jpg?default=false`,
a 404 when there is none. No test touches the internet (not a test module).

Set ISBNs' answers in `editions`, `authors`, `works`, `covers`, and ISBNs that misbehave in
`behaviours` (SLOW: headers only after the timeout; DRIP: a byte at a time for longer than the
timeout; JUNK: not JSON; HUGE: 10 MB of JSON; SERVER_ERROR: a 500; LIST: a JSON list; CUT_OFF:
the connection closed halfway through the answer; ELSEWHERE: a redirect to another server;
LOOP: a redirect to itself)."""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SLOW, DRIP, JUNK, HUGE, SERVER_ERROR = "slow", "drip", "junk", "huge", "server error"
# JSON that is not an edition (a list); an answer that promises more bytes than it sends; a
# redirect to another server (where nothing must be asked); a redirect to itself, for ever.
LIST, CUT_OFF, ELSEWHERE, LOOP = "list", "cut off", "elsewhere", "loop"
# Longer than the tests' BOOK_LOOKUP_TIMEOUT.
STALL_SECONDS = 2.5


class OpenLibrary:
    def __init__(self) -> None:
        self.editions: dict[str, dict] = {}
        self.authors: dict[str, dict] = {}
        self.works: dict[str, dict] = {}
        self.covers: dict[str, bytes] = {}
        self.behaviours: dict[str, str] = {}
        # Every path asked for, and the User-Agent of each request.
        self.asked: list[str] = []
        self.user_agents: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def clear(self) -> None:
        for kept in (self.editions, self.authors, self.works, self.covers, self.behaviours):
            kept.clear()
        self.asked.clear()
        self.user_agents.clear()

    def add(self, isbn13: str, edition: dict, cover: bytes | None = None) -> None:
        """An edition under its own key, found by its ISBN; its cover if given."""
        self.editions[isbn13] = {"key": f"/books/OL{len(self.editions) + 1}M", **edition}
        if cover is not None:
            self.covers[isbn13] = cover

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002 (the base class's name)
                pass

            def do_GET(self):
                stand_in.asked.append(self.path)
                stand_in.user_agents.append(self.headers.get("User-Agent", ""))
                path = urlsplit(self.path).path
                parts = path.strip("/").split("/")
                if parts[0] == "isbn":
                    self.isbn(parts[1].removesuffix(".json"))
                elif parts[0] == "books":
                    edition = next(
                        (e for e in stand_in.editions.values() if e["key"] == path[:-5]), None
                    )
                    self.answer_json(edition)
                elif parts[0] == "authors":
                    self.answer_json(stand_in.authors.get(path[:-5]))
                elif parts[0] == "works":
                    self.answer_json(stand_in.works.get(path[:-5]))
                elif parts[0] == "b" and "default=false" in self.path:
                    self.cover(parts[2].removesuffix("-L.jpg"))
                else:
                    self.send_error(404)

            def isbn(self, isbn13):
                behaviour = stand_in.behaviours.get(isbn13)
                if behaviour == SLOW:
                    time.sleep(STALL_SECONDS)
                elif behaviour == DRIP:
                    return self.drip()
                elif behaviour == JUNK:
                    return self.answer(200, b"<html>Service Unavailable</html>", "text/html")
                elif behaviour == HUGE:
                    huge = b'{"title": "' + b"x" * (10 * 1024 * 1024) + b'"}'
                    return self.answer(200, huge, "application/json")
                elif behaviour == SERVER_ERROR:
                    return self.send_error(500)
                elif behaviour == ELSEWHERE:
                    return self.redirect("http://127.0.0.2:9/books/OL1M.json")
                elif behaviour == LOOP:
                    return self.redirect(f"/isbn/{isbn13}.json")
                elif behaviour == LIST:
                    return self.answer(200, b"[1, 2, 3]", "application/json")
                elif behaviour == CUT_OFF:
                    self.send_response(200)
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b'{"title": ')
                    self.close_connection = True
                    return None
                edition = stand_in.editions.get(isbn13)
                if edition is None:
                    return self.send_error(404)
                self.redirect(f"{edition['key']}.json")

            def redirect(self, location):
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def drip(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                try:
                    for _ in range(int(STALL_SECONDS / 0.2) + 5):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.2)
                except OSError:
                    pass

            def cover(self, isbn13):
                data = stand_in.covers.get(isbn13)
                if data is None:
                    return self.send_error(404)
                self.answer(200, data, "image/jpeg")

            def answer_json(self, value):
                if value is None:
                    return self.send_error(404)
                self.answer(200, json.dumps(value).encode(), "application/json")

            def answer(self, status, body, content_type):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(body)

        return Handler
