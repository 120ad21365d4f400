"""The app running for real, as in production, driven by a real browser.

A session-scoped ``live_server`` starts the web server (gunicorn) and an RQ
worker as separate processes, configured through the environment exactly
like the ``app`` fixture of tests/conftest.py (same database, Redis DB, queue,
storage directory and Elasticsearch index prefix), so the browser sees what
a person would see: real HTTP, real background processing, real search.

``browser`` is Debian's Chromium (no browser downloads here), and
``new_page`` opens a fresh context (no cookies) whose console errors and
uncaught page errors (CSP violations show up there) are collected so tests
can assert there were none.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import PASSWORD, ROOT

VENV_BIN = ROOT / ".venv" / "bin"
SCREENSHOTS = ROOT / "var" / "screenshots"
LOGS = ROOT / "var" / "log" / "browser-tests"  # git-ignored; kept after the run
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
START_TIMEOUT = 60
# Chromium asks every site for /favicon.ico; the app has none (a 404 logged as a
# console error). Known and harmless; every other console error fails a test.
KNOWN_MISSING = ("/favicon.ico",)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _compile_catalog() -> None:
    """The interface is Vietnamese by default; the compiled catalog is not in git."""
    if (ROOT / "app" / "translations").is_dir():
        subprocess.run([str(VENV_BIN / "pybabel"), "-q", "compile", "-d", "app/translations"],
                       cwd=ROOT, check=True)


def _reset(app) -> None:
    from tests.conftest import reset_state

    reset_state(app)


def _tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


class _Process:
    """A child in its own process group, so the whole group can be stopped."""

    def __init__(self, name: str, args: list[str], env: dict, log: Path):
        self.name, self.log = name, log
        self._fh = log.open("wb")
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self._fh,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n"
                               f"{_tail(self.log)}")

    def signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        self.signal_group(signal.SIGCONT)  # in case a test left it paused
        self.signal_group(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.proc.wait(timeout=15)
        # Work-horses forked by the RQ worker may outlive their parent briefly.
        self.signal_group(signal.SIGKILL)
        self._fh.close()


def serve(name: str, port: int, env: dict, log: Path, workers: int = 2,
          timeout: int = 120, access_log: bool = False) -> _Process:
    """gunicorn as deployed (config/gunicorn_conf.py), 4 threads per process."""
    return _Process(name, [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn_conf.py",
                           "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                           "--threads", "4", "--timeout", str(timeout),
                           *(["--access-logfile", "-"] if access_log else []), "wsgi:app"],
                    env, log)


def work(name: str, env: dict, log: Path) -> _Process:
    """An RQ worker as deployed (``flask worker``)."""
    return _Process(name, [str(VENV_BIN / "flask"), "--app", "wsgi", "worker"], env, log)


def wait_ok(url: str, server: _Process, timeout: float = START_TIMEOUT) -> None:
    """Until ``url`` answers 200; the server's log in the error if it never does."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        server.check_alive()
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except urllib.error.HTTPError as exc:  # 503 from /healthz: a backing service is down
            last = f"{exc.code} {exc.read()[:300]!r}"
        except OSError as exc:
            last = repr(exc)
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer 200 in {timeout:.0f}s ({last}):\n"
                       f"{_tail(server.log)}")


def _wait_worker_listening(app, worker: _Process) -> None:
    """The worker registered itself on *our* Redis DB and queue."""
    from rq import Worker

    from app.extensions import services
    from app.jobs.queue import queue

    deadline = time.monotonic() + START_TIMEOUT
    with app.app_context():
        q = queue()
        while time.monotonic() < deadline:
            worker.check_alive()
            if Worker.all(connection=services.redis, queue=q):
                return
            time.sleep(0.2)
    raise RuntimeError(f"The worker did not register on queue {q.name!r}:\n{_tail(worker.log)}")


# Package scope: the server and its worker stop when the browser tests are done,
# so they never take jobs or hold locks while other tests run.
@pytest.fixture(scope="package")
def live_server(app):
    """gunicorn + RQ worker on the test database, Redis DB, queue, storage and index."""
    from app.services.accounts import create_user

    _compile_catalog()
    _reset(app)
    with app.app_context():
        user = create_user("nguoi-tai-len", PASSWORD, role="uploader", clearance="thuong")
        username = user.username

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ,
           "ARCHIVE_ENV": "testing",
           "TEST_STORAGE_DIR": str(app.config["STORAGE_DIR"]),
           "TEST_ES_INDEX_PREFIX": app.config["ES_INDEX_PREFIX"],
           "PYTHONPATH": str(ROOT),
           "BELL_POLL_SECONDS": "2",  # the bell's count follows within the tests' patience
           "PYTHONUNBUFFERED": "1"}
    logs = LOGS
    logs.mkdir(parents=True, exist_ok=True)
    server = serve("server", port, env, logs / "server.log", access_log=True)
    worker = work("worker", env, logs / "worker.log")
    try:
        wait_ok(url + "/healthz", server)
        _wait_worker_listening(app, worker)
        yield SimpleNamespace(url=url, username=username, password=PASSWORD,
                              server=server, worker=worker, logs=logs)
    finally:
        server.stop()
        worker.stop()
        if sys.exc_info()[0] is not None:  # startup failed: show why
            print(f"--- server log\n{_tail(server.log)}\n--- worker log\n{_tail(worker.log)}")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context; ``page.problems`` collects console errors."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                      viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        problems: list[str] = []

        def on_console(message):
            url = message.location.get("url") or ""
            if message.type != "error" or url.endswith(KNOWN_MISSING):
                return
            problems.append(f"console.error: {message.text} ({url})")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
        page.problems = problems
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
