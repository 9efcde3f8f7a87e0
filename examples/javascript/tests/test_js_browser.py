"""End to end: the real page in headless Chromium, talking to the app over loopback.

Needs the ``playwright`` Python package and Debian's Chromium at /usr/bin/chromium
(Playwright's own browser download is not used).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textstats import create_app
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="the browser test needs the playwright package (pip install playwright)",
)
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"the browser test needs Chromium at {CHROMIUM} (apt-get install chromium)",
)
expect = sync_api.expect


@pytest.fixture(scope="module")
def base_url():
    """Serve a fresh app on a free loopback port for the tests in this module."""
    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url):
    """A new tab on the app's page; an uncaught error in the page's script fails the
    test that caused it."""
    context = browser.new_context()
    page = context.new_page()
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    page.goto(f"{base_url}/")
    yield page
    context.close()
    assert script_errors == []


def test_analyse_button_fills_in_the_counts(page):
    page.fill("#text", "one fish two fish\nred fish blue fish")
    page.fill("#top", "2")
    page.click("#analyse")

    expect(page.locator("#status")).to_have_text("Done")
    expect(page.locator("#results")).to_be_visible()
    expect(page.locator("#characters")).to_have_text("36")
    expect(page.locator("#lines")).to_have_text("2")
    expect(page.locator("#words")).to_have_text("8")
    expect(page.locator("#unique-words")).to_have_text("5")
    expect(page.locator("#top-words li")).to_have_text(["fish (4)", "blue (1)"])
    expect(page.locator("#error")).to_be_hidden()


def test_results_start_hidden_until_something_is_analysed(page):
    expect(page.locator("#results")).to_be_hidden()
    expect(page.locator("#error")).to_be_hidden()
    expect(page.locator("#status")).to_have_text("")


def test_a_second_analysis_replaces_the_first(page):
    page.fill("#text", "alpha beta gamma delta")
    page.click("#analyse")
    expect(page.locator("#top-words li")).to_have_count(4)

    page.fill("#text", "zeta zeta")
    page.click("#analyse")
    expect(page.locator("#top-words li")).to_have_text(["zeta (2)"])
    expect(page.locator("#words")).to_have_text("2")


def test_server_side_rejection_is_shown_in_the_error_box(page):
    page.fill("#text", "z" * 5001)
    page.click("#analyse")

    expect(page.locator("#error")).to_have_text(
        "Text is limited to 5000 characters; this one has 5001."
    )
    expect(page.locator("#status")).to_have_text("Failed")
    expect(page.locator("#results")).to_be_hidden()


def test_error_goes_away_after_a_good_request(page):
    page.fill("#top", "")
    page.fill("#text", "hello")
    page.click("#analyse")
    expect(page.locator("#error")).to_have_text(
        "'top' must be a whole number from 1 to 10."
    )

    page.fill("#top", "3")
    page.click("#analyse")
    expect(page.locator("#words")).to_have_text("1")
    expect(page.locator("#error")).to_be_hidden()


def test_words_typed_as_markup_are_shown_as_text(page):
    page.fill("#text", "<b>bold</b> bold")
    page.click("#analyse")
    expect(page.locator("#top-words li")).to_have_text(["b (2)", "bold (2)"])
    expect(page.locator("#top-words b")).to_have_count(0)
