"""A web server that is not Flow Service (nor IMS): 200 and an HTML page for every request (a wrong
aep:platformUrl or aep:imsUrl); or, ``missing_url``, 404 and an HTML page (a host without that path).

Use as pytest fixtures::

    from tests.helpers.welcome import missing_url, welcome_url  # noqa: F401  (pytest fixtures)
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any, Final

import pytest

PAGE: Final = b"<html><body>Welcome</body></html>"


class _Welcome(http.server.BaseHTTPRequestHandler):
    """Reads the request body, answers ``STATUS`` (200) with ``PAGE`` (text/html)."""

    STATUS = 200

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(self.STATUS)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    do_GET = do_POST = do_PATCH = do_DELETE = _answer  # noqa: N815 - http.server names

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class _Missing(_Welcome):
    """Answers 404 with ``PAGE``: a web server that has no such path."""

    STATUS = 404


def _serve(handler: type[_Welcome]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def welcome_url() -> Iterator[str]:
    """The base URL of a welcome-page server on loopback (200 to everything), stopped after the test."""
    yield from _serve(_Welcome)


@pytest.fixture
def missing_url() -> Iterator[str]:
    """The base URL of a server on loopback answering 404 and an HTML page to everything."""
    yield from _serve(_Missing)
