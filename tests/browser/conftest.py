"""Browser fixtures: the real app served by waitress, driven by Chromium.

* ``live_server``: the app of ``tests.web.conftest.make_app`` on the test
  database (SQLite only: the ``db`` fixture is narrowed to its SQLite variant
  for every test in this folder), served by waitress on a free port of
  127.0.0.1 in a daemon thread; the value is the base URL without a trailing
  slash. CSRF is on, as in production. ``live_server.app`` is not offered:
  build a different app with ``serve(app)`` when a test needs one.
* ``browser_page``: a fresh Playwright page (own context: no cookies shared
  between tests) at 1280x800 in Debian's Chromium (``/usr/bin/chromium``, or
  ``JANGBU_CHROMIUM``); ``new_page(**context_options)`` for other viewports.
  Without a usable Chromium the test is skipped, unless
  ``JANGBU_REQUIRE_BROWSER=1`` (CI), where it fails instead.
* ``shot(page, name)``: a full-page PNG in
  ``test-artifacts/browser/<test>/<n>-<name>.png`` at the repository root; a
  failing test also leaves ``<n>-failure.png`` of every page it opened.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
import waitress
from waitress import wasyncore

from tests.web.conftest import make_app

CHROMIUM = os.environ.get("JANGBU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
REQUIRE_BROWSER = os.environ.get("JANGBU_REQUIRE_BROWSER") == "1"
DESKTOP = {"width": 1280, "height": 800}
ARTIFACTS = Path("test-artifacts") / "browser"


def _no_browser(reason: str):
    if REQUIRE_BROWSER:
        pytest.fail(f"JANGBU_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc):
    """Browser tests run on SQLite only: they test pages, not the database,
    which the rest of the suite runs on both (the root conftest applies it)."""
    if metafunc.definition.get_closest_marker("one_engine") is None:
        metafunc.definition.add_marker(pytest.mark.one_engine(
            "sqlite", reason="pages in a browser, not the database: the rest of the suite runs both engines"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


# --- the server -------------------------------------------------------------

class LiveServer(str):
    """The base URL (``http://127.0.0.1:PORT``), with ``url(path)``."""

    def url(self, path: str = "/") -> str:
        return self + path


@pytest.fixture
def serve():
    """``serve(app) -> base URL``: run a WSGI app until the test ends."""
    servers = []

    def start(app) -> LiveServer:
        server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4,
                                        clear_untrusted_proxy_headers=True)
        thread = threading.Thread(target=server.run, name=f"waitress:{server.effective_port}", daemon=True)
        thread.start()
        servers.append((server, thread))
        return LiveServer(f"http://127.0.0.1:{server.effective_port}")

    yield start
    for server, thread in servers:
        # Close every socket from inside the server's own loop, which then ends.
        server.trigger.pull_trigger(lambda server=server: wasyncore.close_all(server._map))
        thread.join(timeout=10)
        server.task_dispatcher.shutdown(timeout=5)


@pytest.fixture
def live_server(db, serve) -> LiveServer:
    """The app on the test database (CSRF on), served over HTTP."""
    return serve(make_app(db, WTF_CSRF_ENABLED=True))


# --- the browser ------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session (or a skip / a failure)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _no_browser(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the Python package playwright is not installed (pip install -e '.[test]')")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001 - any launch failure means "no browser"
        playwright.stop()
        _no_browser(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def new_page(request, chromium):
    """``new_page(**context_options) -> page`` in a context of its own."""
    shutil.rmtree(_folder(request), ignore_errors=True)  # only this run's pictures
    contexts, pages = [], []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "en-US")
        context = chromium.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for page in pages:
            if not page.is_closed():
                try:
                    _screenshot(request, page, "failure")
                except Exception:  # noqa: BLE001 - the test's own failure matters more
                    pass
    for context in contexts:
        context.close()


@pytest.fixture
def browser_page(new_page):
    """A page at 1280x800."""
    return new_page()


# --- screenshots ------------------------------------------------------------

def _folder(request) -> Path:
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    return request.config.rootpath / ARTIFACTS / name


def _screenshot(request, page, name: str) -> Path:
    counter = request.node.stash.setdefault(_SHOTS, [0])
    counter[0] += 1
    slug = re.sub(r"[^\w.-]+", "-", name)
    path = _folder(request) / f"{counter[0]:02d}-{slug}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


_SHOTS = pytest.StashKey[list]()


@pytest.fixture
def shot(request):
    """``shot(page, name) -> path``: a numbered full-page screenshot of this test."""
    request.getfixturevalue("new_page")  # clears the test's folder first
    return lambda page, name: _screenshot(request, page, name)
