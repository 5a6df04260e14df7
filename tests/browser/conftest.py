"""Real headless Chromium (Debian's package, driven by Playwright) against the real app.

``scripts/test-browser`` installs Chromium when it is missing; Playwright never downloads a
browser of its own. The app runs in a thread on a loopback port, on each test database.
Every test leaves a screenshot in ``test-artifacts/screenshots/``.
"""

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# Without the background-networking flags Chromium keeps calling home, and this machine's
# closed network refuses every attempt.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    result = subprocess.run([str(ROOT / "scripts" / "test-browser")], check=True,
                            capture_output=True, text=True)
    browser = playwright.chromium.launch(executable_path=result.stdout.strip().splitlines()[-1],
                                         args=CHROMIUM_ARGS)
    yield browser
    browser.close()




@pytest.fixture
def page(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()
    assert not errors, f"the page's scripts failed: {errors}"
