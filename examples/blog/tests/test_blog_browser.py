"""End to end in headless Chromium: register, log in, write, and find the entry listed.

The blog is served by Werkzeug on a free loopback port in a background thread, and
Debian's Chromium is driven through Playwright. The test is skipped only when one of the
two is not installed.
"""

from __future__ import annotations

import os
import threading

import pytest
from jotter import create_app
from jotter import storage
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
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
    reason="the browser test needs Playwright: pip install playwright",
)

pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK),
    reason=f"the browser test needs Chromium at {CHROMIUM}: apt-get install chromium",
)


@pytest.fixture
def live_blog(tmp_path):
    """Serve a fresh, empty blog on 127.0.0.1 and yield its base URL."""
    app = create_app(
        {"SECRET_KEY": "browser-test", "DATABASE": str(tmp_path / "browser.sqlite3")}
    )
    with app.app_context():
        storage.create_tables()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def page():
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_a_new_member_publishes_an_entry_that_appears_in_the_feed(live_blog, page):
    page.goto(live_blog + "/")
    assert page.text_content("main p.empty").strip() == "Nothing here yet."

    page.click("text=Register")
    page.wait_for_url(live_blog + "/account/register")
    page.fill("#handle", "margaret")
    page.fill("#password", "apollo-11")
    page.fill("#confirm", "apollo-11")
    page.click("form.card button")
    page.wait_for_url(live_blog + "/account/login")
    assert (
        page.text_content(".note-success") == "Welcome, margaret! You can log in now."
    )

    page.fill("#handle", "margaret")
    page.fill("#password", "apollo-11")
    page.click("form.card button")
    page.wait_for_url(live_blog + "/")
    assert page.text_content(".whoami") == "margaret"

    page.click("nav >> text=Write")
    page.wait_for_url(live_blog + "/write")
    page.fill("#headline", "Program alarms 1202")
    page.fill(
        "#content", "The computer shed low-priority work.\n\nThe landing went on."
    )
    page.click("form.card button")
    page.wait_for_url(live_blog + "/entry/1")
    assert page.text_content(".note-success") == "Your entry is published."
    assert page.locator("article p:not(.byline)").all_text_contents() == [
        "The computer shed low-priority work.",
        "The landing went on.",
    ]

    page.click("text=Jotter")
    page.wait_for_url(live_blog + "/")
    headlines = page.locator("article.entry h2").all_text_contents()
    assert headlines == ["Program alarms 1202"]
    assert "by margaret" in " ".join(page.text_content("article .byline").split())
