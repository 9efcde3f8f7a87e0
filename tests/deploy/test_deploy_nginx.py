"""Jotter behind nginx, with the site files from examples/blog/deploy/.

nginx ends TLS on a loopback port with a certificate made for the test, serves the
static files itself and passes everything else to a WSGI server (Gunicorn, unless a
test says otherwise). The server runs ``probe_app:app``: the documented
``jotter.wsgi:app`` (wrapped in ProxyFix, because JOTTER_PROXY_HOPS=1) plus a
``/_probe`` route telling what the application believes about a request.

The site files are used as they are, except for the values only a test can choose
(see ``Launcher.nginx`` in conftest.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STATIC = REPO / "examples" / "blog" / "jotter" / "static"
PUBLIC_HOST = "blog.example.com"
# What a client might send to pass for someone else, somewhere else.
FORGED = {
    "X-Forwarded-For": "203.0.113.9",
    "X-Forwarded-Host": "attacker.example",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Prefix": "/elsewhere",
}


@pytest.fixture(scope="module")
def backend(module_launcher):
    """Gunicorn, started as documented, serving the probe application from behind one
    proxy (JOTTER_PROXY_HOPS=1)."""
    module_launcher.find_nginx()
    return module_launcher.blog("gunicorn", app="probe_app:app", PROXY_HOPS="1")


def start_nginx(launcher, site_file, backend, certificate):
    return launcher.nginx(site_file, [backend], certificate)


@pytest.fixture(scope="module")
def proxy(module_launcher, backend, certificate):
    """nginx with nginx-site.conf: the blog at the root of https://blog.example.com."""
    server, options = start_nginx(
        module_launcher, "nginx-site.conf", backend, certificate
    )
    return lambda: server.visitor(**options)


@pytest.fixture(scope="module")
def prefixed_proxy(module_launcher, backend, certificate):
    """nginx with nginx-site-prefix.conf: the blog under https://blog.example.com/blog/."""
    server, options = start_nginx(
        module_launcher, "nginx-site-prefix.conf", backend, certificate
    )
    return lambda: server.visitor(**options)


def probe(visitor, path="/_probe", headers=None):
    reply = visitor.get(path, headers=headers)
    assert reply.status == 200, reply.text
    assert reply.headers["Content-Type"] == "application/json"
    return json.loads(reply.text)


def test_behind_nginx_the_app_sees_https_and_the_public_host(proxy):
    assert probe(proxy()) == {
        "remote_addr": "127.0.0.1",
        "scheme": "https",
        "host": PUBLIC_HOST,
        "script_root": "",
        "feed_url": f"https://{PUBLIC_HOST}/",
    }


def test_forwarded_headers_from_the_client_do_not_get_past_nginx(proxy):
    seen = probe(proxy(), headers={**FORGED, "X-Forwarded-Proto": "http"})
    assert seen == {
        "remote_addr": "127.0.0.1",
        "scheme": "https",
        "host": PUBLIC_HOST,
        "script_root": "",
        "feed_url": f"https://{PUBLIC_HOST}/",
    }


@pytest.mark.parametrize("kind", ["uwsgi", "waitress-behind-proxy"])
def test_the_other_servers_work_behind_nginx_too(launcher, certificate, kind):
    backend = launcher.blog(kind, app="probe_app:app", PROXY_HOPS="1")
    server, options = start_nginx(launcher, "nginx-site.conf", backend, certificate)
    assert probe(server.visitor(**options)) == {
        "remote_addr": "127.0.0.1",
        "scheme": "https",
        "host": PUBLIC_HOST,
        "script_root": "",
        "feed_url": f"https://{PUBLIC_HOST}/",
    }


@pytest.mark.parametrize(
    ("kind", "scheme"),
    [
        # Both servers set the scheme from X-Forwarded-Proto by themselves (Gunicorn
        # when the client's address is in its forwarded_allow_ips, 127.0.0.1 by
        # default). Everything else stays as the connection says.
        ("gunicorn", "https"),
        ("uwsgi", "https"),
    ],
)
def test_without_proxy_hops_the_app_ignores_forwarded_headers(launcher, kind, scheme):
    # The probe application, reached directly and without JOTTER_PROXY_HOPS.
    server = launcher.blog(kind, app="probe_app:app")
    seen = probe(server.visitor(host="direct.example"), headers=FORGED)
    assert seen == {
        "remote_addr": "127.0.0.1",
        "scheme": scheme,
        "host": "direct.example",
        "script_root": "",
        "feed_url": f"{scheme}://direct.example/",
    }


def test_waitress_removes_forwarded_headers_unless_told_to_keep_them(launcher):
    # ProxyFix is on, but the plain Waitress command removes the X-Forwarded-For,
    # -Host and -Proto headers before the application sees them. It does not know
    # X-Forwarded-Prefix, which gets through.
    server = launcher.blog("waitress", app="probe_app:app", PROXY_HOPS="1")
    seen = probe(server.visitor(host="direct.example"), headers=FORGED)
    assert seen == {
        "remote_addr": "127.0.0.1",
        "scheme": "http",
        "host": "direct.example",
        "script_root": "/elsewhere",
        "feed_url": "http://direct.example/elsewhere/",
    }


def test_a_member_logs_in_and_writes_through_nginx(proxy):
    anonymous = proxy().get("/write")
    assert anonymous.status == 302
    assert anonymous.location == "/account/login?next=/write"

    ada = proxy()
    ada.join("ada", "lovelace-1843")
    page = ada.get("/write")
    assert (page.status, page.title, page.whoami) == (200, "New entry", "ada")
    assert page.headers["Server"].startswith("nginx")


def test_nginx_serves_the_static_files_itself(proxy, backend):
    expected = (STATIC / "jotter.css").read_text()
    through_nginx = proxy().get("/static/jotter.css")
    assert through_nginx.status == 200
    assert through_nginx.text == expected
    assert through_nginx.headers["Cache-Control"] == "max-age=86400"
    # The application would have answered differently: it does not let caches keep it.
    from_app = backend.visitor().get("/static/jotter.css")
    assert from_app.text == expected
    assert from_app.headers["Cache-Control"] == "no-cache"


def test_under_a_prefix_the_app_builds_urls_below_it(prefixed_proxy):
    assert probe(prefixed_proxy(), "/blog/_probe") == {
        "remote_addr": "127.0.0.1",
        "scheme": "https",
        "host": PUBLIC_HOST,
        "script_root": "/blog",
        "feed_url": f"https://{PUBLIC_HOST}/blog/",
    }


def test_under_a_prefix_links_and_static_files_keep_the_prefix(prefixed_proxy):
    grace = prefixed_proxy()
    grace.join("grace", "hopper-1906", prefix="/blog")
    page = grace.get("/blog/write")
    assert (page.status, page.title, page.whoami) == (200, "New entry", "grace")
    assert 'href="/blog/static/jotter.css"' in page.text
    assert 'action="/blog/account/logout"' in page.text

    stylesheet = grace.get("/blog/static/jotter.css")
    assert stylesheet.status == 200
    assert stylesheet.headers["Cache-Control"] == "max-age=86400"


def test_under_a_prefix_the_login_detour_comes_back_below_it(prefixed_proxy):
    prefixed_proxy().join("hedy", "frequency-hopping", prefix="/blog")

    hedy = prefixed_proxy()
    detour = hedy.get("/blog/write")
    assert detour.status == 302
    assert detour.location == "/blog/account/login?next=/blog/write"
    form = hedy.get(detour.location)
    assert '<input type="hidden" name="next" value="/blog/write">' in form.text

    back = hedy.post(
        detour.location,
        {"handle": "hedy", "password": "frequency-hopping", "next": "/blog/write"},
    )
    assert back.status == 302
    assert back.location == "/blog/write"
    page = hedy.get(back.location)
    assert (page.status, page.whoami) == (200, "hedy")


def test_nothing_outside_the_prefix_reaches_the_app(prefixed_proxy):
    outside = prefixed_proxy().get("/account/login")
    assert outside.status == 404
    assert "Jotter" not in outside.text
