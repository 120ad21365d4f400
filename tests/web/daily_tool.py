"""Shared pieces of the daily-tool browser tests (issue 13): one logged-in browser
context per role for a whole module, pages at a desk (1366 px) or a phone (390 px),
and the checks every screen gets (no sideways scrolling, axe-core, no console errors).

A context is logged in once and reused by every test of the module that needs that
role; each test opens its own page at its width. axe-core is evaluated through the
DevTools protocol (``page.evaluate``), which the Content-Security-Policy does not
govern, so the contexts keep the production policy (a violation is a console error).
"""
from __future__ import annotations

import subprocess
import time

import pytest
from playwright.sync_api import Page

from tests.conftest import ROOT
from tests.web.conftest import KNOWN_MISSING
from tests.web.test_phone_a11y import log_in

AXE = ROOT / "var" / "vendor" / "axe-core" / "axe.js"
# A decision as a text file: recognised as type "Quyết định" with its number and summary.
DECISION = """ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI
Số: 15/2024/QĐ-UBND                         Quảng Ngãi, ngày 12 tháng 3 năm 2024

QUYẾT ĐỊNH
Về việc ban hành Quy chế cung cấp thông tin cho báo chí ({tag})

Điều 1. Ban hành kèm theo Quyết định này Quy chế cung cấp thông tin cho báo chí.
"""
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


class Roles:
    """Logged-in contexts by username, opened on first use and closed with the module."""

    def __init__(self, browser, url: str):
        self.browser, self.url, self.contexts = browser, url, {}

    def page(self, username: str, width: str) -> Page:
        context = self.contexts.get(username)
        if context is None:
            context = self.contexts[username] = self._log_in(username)
        page = context.new_page()
        page.set_viewport_size(WIDTHS[width])
        watch(page)
        return page

    def fresh(self, username: str, width: str) -> Page:
        """A context of its own (a test that changes the session, e.g. its language)."""
        context = self._log_in(username)
        self.contexts[f"{username}#{len(self.contexts)}"] = context
        page = context.new_page()
        page.set_viewport_size(WIDTHS[width])
        watch(page)
        return page

    def _log_in(self, username: str):
        context = self.browser.new_context(base_url=self.url, locale="vi-VN",
                                           viewport=WIDTHS["desktop"])
        context.set_default_timeout(15_000)
        page = context.new_page()
        log_in(page, username)
        page.close()
        return context

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


def watch(page: Page) -> None:
    """Collect console errors and uncaught page errors in ``page.problems``."""
    page.problems = []

    def on_console(message):
        if message.type == "error" and not (message.location.get("url") or "").endswith(
                KNOWN_MISSING):
            page.problems.append(f"console.error: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page.problems.append(f"pageerror: {exc}"))


@pytest.fixture(scope="module")
def roles(browser, live_server):
    if not AXE.exists():  # pytest run directly, without `make test`
        subprocess.run(["bash", "scripts/assets.sh"], cwd=ROOT, check=True)
    keeper = Roles(browser, live_server.url)
    yield keeper
    keeper.close()


@pytest.fixture(params=list(WIDTHS))
def width(request) -> str:
    return request.param


def fits(page: Page) -> None:
    """Nothing sticks out sideways: scrollWidth <= the viewport's width."""
    measured = page.evaluate("""() => ({scroll: document.documentElement.scrollWidth,
                                         viewport: window.innerWidth})""")
    assert measured["scroll"] <= measured["viewport"], f"{page.url}: {measured}"


def axe_clean(page: Page) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => `${v.id}: ${v.help} ${v.nodes.slice(0, 3).map(n => n.target.join(' '))}`);
    }""")
    assert violations == [], f"{page.url}:\n" + "\n".join(violations)


def looks_right(page: Page) -> None:
    """What every screen of these tests gets: fits the width, axe-clean, no console errors."""
    fits(page)
    axe_clean(page)
    assert page.problems == [], "\n".join(page.problems)


def wait_processed(app, document_ids: list[int], timeout: float = 120) -> None:
    """The live worker has extracted and indexed these documents."""
    from app.extensions import db
    from app.models import Document
    from indexers import client

    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            states = {i: db.session.get(Document, i).status for i in document_ids}
            db.session.remove()
        if all(s not in ("queued", "processing") for s in states.values()):
            break
        assert time.monotonic() < deadline, f"still processing: {states}"
        time.sleep(0.3)
    with app.app_context():
        client.es().indices.refresh(index=client.alias())


def archive_text(user, name: str, text: str, **metadata) -> int:
    """A text file archived through the service, as an upload would (inside an app context)."""
    import io

    from app.services.documents import archive_document
    from app.services.metadata import DocumentMetadata

    outcome = archive_document(user, io.BytesIO(text.encode("utf-8")), name,
                               DocumentMetadata(**metadata))
    return outcome.document.id
