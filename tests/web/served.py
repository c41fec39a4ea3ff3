"""A real HTTP server on the test database, for attempts sent at once.

The app runs in a threaded werkzeug server on a free loopback port (CSRF on,
as in production); each attempt is its own HTTP client with its own cookie
jar, which first fetches the form (session cookie and CSRF token), then waits
at a barrier with the others and posts. What the server answered comes back
as a list of status codes.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from werkzeug.serving import make_server

__all__ = ["served", "post_at_once"]

TIMEOUT = 60  # seconds for any one wait: a hung request fails the test instead of hanging it


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer here, not a place to go


@contextmanager
def served(app) -> Iterator[str]:
    """``app`` answering at the yielded base URL until the block ends."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(TIMEOUT)


def _attempt(base: str, path: str, fields: dict, barrier: threading.Barrier) -> int:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                         _NoRedirect)
    with opener.open(base + path, timeout=TIMEOUT) as page:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.read().decode())[1]
    body = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
    barrier.wait(TIMEOUT)
    try:
        with opener.open(base + path, data=body, timeout=TIMEOUT) as answer:
            return answer.status
    except urllib.error.HTTPError as answer:  # 3xx (not followed), 4xx, 5xx
        return answer.code


def post_at_once(base: str, path: str, fields: dict, count: int) -> list[int]:
    """``count`` clients post ``fields`` to ``path`` at the same moment; their status codes."""
    barrier = threading.Barrier(count)
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _: _attempt(base, path, fields, barrier), range(count)))
