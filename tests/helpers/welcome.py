"""A web server that is not Flow Service: 200 and an HTML page for every request (a wrong aep:platformUrl).

Use as a pytest fixture::

    from tests.helpers.welcome import welcome_url  # noqa: F401  (pytest fixture)
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any, Final

import pytest

PAGE: Final = b"<html><body>Welcome</body></html>"


class _Welcome(http.server.BaseHTTPRequestHandler):
    """Reads the request body, answers 200 with ``PAGE`` (text/html)."""

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    do_GET = do_POST = do_PATCH = do_DELETE = _answer  # noqa: N815 - http.server names

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def welcome_url() -> Iterator[str]:
    """The base URL of a welcome-page server on loopback, stopped after the test."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Welcome)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
