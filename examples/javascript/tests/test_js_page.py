"""The HTML page and the static files its script needs, checked without a browser."""

from __future__ import annotations

import re


def test_page_renders_the_form(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<textarea id="text" name="text"' in page
    assert '<button id="analyse" type="submit">Analyse</button>' in page
    assert "(up to 5000 characters)" in page
    assert 'max="10"' in page


def test_page_points_the_script_at_the_endpoint_and_static_files(client):
    page = client.get("/").get_data(as_text=True)
    assert 'data-stats-url="/api/stats"' in page
    assert '<script src="/static/textstats.js" defer></script>' in page
    assert 'href="/static/textstats.css"' in page


def test_urls_follow_the_mount_point_of_the_app(client):
    # Served under /tools (SCRIPT_NAME), every URL in the page must carry the prefix;
    # this is what building them with url_for buys.
    page = client.get("/", base_url="http://localhost/tools/").get_data(as_text=True)
    assert 'data-stats-url="/tools/api/stats"' in page
    assert 'src="/tools/static/textstats.js"' in page


def test_every_url_in_the_page_can_be_fetched(client):
    page = client.get("/").get_data(as_text=True)
    static = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert sorted(static) == ["/static/textstats.css", "/static/textstats.js"]
    for url in static:
        with client.get(url) as response:
            assert response.status_code == 200, url


def test_script_is_served_as_javascript_and_uses_fetch(client):
    with client.get("/static/textstats.js") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
        assert "fetch(form.dataset.statsUrl" in response.get_data(as_text=True)


def test_stylesheet_is_served_as_css(client):
    with client.get("/static/textstats.css") as response:
        assert response.mimetype == "text/css"


def test_missing_page_keeps_an_html_error(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
