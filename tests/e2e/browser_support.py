"""Helpers for the browser tests: Debian's Chromium under Playwright, axe-core, the widget."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Locator, Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "Run scripts/install-browser-deps.sh (Debian's chromium, npm ci) first."

# Debian's Chromium, headless, quiet: without the background-networking flags it keeps
# trying to reach Google's services and floods the log with refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The WCAG 2.2 A and AA rules of axe-core, plus its best practices (reported, not failed).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}
REPLY_TIMEOUT_MS = 30_000
GREETING_BUTTONS = ["Ask about the fund", "Check eligibility", "Talk to the team"]


@dataclass
class PageProblems:
    """Console errors, uncaught exceptions and CSP violations seen on a page."""

    messages: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        """Start recording ``page``'s problems."""
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.messages.append(f"uncaught: {error}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.messages.append(f"console: {message.text}")


def message_texts(messages: Locator) -> list[str]:
    """The text of each chat bubble as a reader sees it (without screen-reader-only words)."""
    return messages.evaluate_all(
        """bubbles => bubbles.map(bubble => {
            const copy = bubble.cloneNode(true);
            copy.querySelectorAll('.tsf-chat__sr').forEach(hidden => hidden.remove());
            return copy.textContent;
        })"""
    )


def run_axe(page: Page, origin: str) -> list[dict[str, Any]]:
    """Run axe-core on ``page`` and return its violations.

    The page's CSP allows scripts from its own origin only, so axe is served from a route
    on that origin (``add_script_tag(content=...)`` would be an inline script, blocked).
    """
    url = f"{origin}/__test__/axe.min.js"
    page.route(url, lambda route: route.fulfill(path=AXE_SCRIPT, content_type="text/javascript"))
    page.add_script_tag(url=url)
    results = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })""",
        AXE_TAGS,
    )
    return results["violations"]


def summarise(violations: list[dict[str, Any]]) -> str:
    """One line per violation and per offending element, worst first."""
    order = ["critical", "serious", "moderate", "minor", None]
    lines = []
    for violation in sorted(violations, key=lambda v: order.index(v.get("impact"))):
        lines.append(f"[{violation.get('impact')}] {violation['id']}: {violation['help']}")
        lines.extend(f"    {' '.join(node['target'])}" for node in violation["nodes"])
    return "\n".join(lines) or "no violations"


def save_axe_report(name: str, violations: list[dict[str, Any]]) -> Path:
    """Write the violations to ``test-artifacts/<name>.json`` for a human to read."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.json"
    path.write_text(json.dumps(violations, indent=2))
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (never Playwright's own download).

    One per test module: Playwright's sync API holds the thread's event loop while it runs,
    so it is stopped before a later module's asyncio tests need that loop."""
    try:
        from playwright.sync_api import expect as playwright_expect
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"The playwright Python package is missing. {INSTALL_HINT}")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing. {INSTALL_HINT}")
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing. {INSTALL_HINT}")
    playwright_expect.set_options(timeout=REPLY_TIMEOUT_MS)  # replies can be slow on CI
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A desktop-sized browser context with nothing stored."""
    fresh = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    fresh.set_default_timeout(REPLY_TIMEOUT_MS)
    yield fresh
    fresh.close()


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(context: BrowserContext, problems: PageProblems) -> Page:
    opened = context.new_page()
    problems.watch(opened)
    return opened


def expect(target: Page | Locator) -> Any:
    """Playwright's ``expect``, imported late so that collecting this module needs no browser."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def open_chat(page: Page, url: str) -> None:
    """Load the demo page and wait for the greeting with its three buttons."""
    page.goto(url)
    expect(page.get_by_role("dialog", name="TSF Assistant")).to_be_visible()
    expect(choices(page)).to_have_text(GREETING_BUTTONS, timeout=REPLY_TIMEOUT_MS)


def log(page: Page) -> Locator:
    return page.get_by_role("log", name="Conversation")


def bot_messages(page: Page) -> Locator:
    return log(page).locator(".tsf-chat__msg--bot")


def user_messages(page: Page) -> Locator:
    return log(page).locator(".tsf-chat__msg--user")


def choices(page: Page) -> Locator:
    return page.get_by_role("group", name="Suggested replies").get_by_role("button")


def status(page: Page) -> Locator:
    return page.locator(".tsf-chat__status")


def say(page: Page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")
