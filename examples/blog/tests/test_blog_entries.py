from __future__ import annotations

import pytest


def test_feed_lists_every_entry_newest_first(visitor):
    page = visitor.get("/").get_data(as_text=True)
    assert page.index("A moth in relay 70") < page.index("Notes on the engine")
    assert '<a href="/entry/1">Notes on the engine</a>' in page
    assert "by <strong>grace</strong>" in page
    assert "2 May 2024, 15:45" in page


def test_feed_offers_writing_only_to_members(visitor, log_in):
    assert 'href="/write"' not in visitor.get("/").get_data(as_text=True)
    log_in()
    assert 'href="/write"' in visitor.get("/").get_data(as_text=True)


def test_empty_feed_invites_members_to_write(visitor, log_in, query):
    query("DELETE FROM entry")
    log_in()
    page = visitor.get("/").get_data(as_text=True)
    assert "Nothing here yet." in page
    assert "Write the first entry" in page


def test_long_entries_are_shortened_in_the_feed(visitor, log_in):
    log_in()
    visitor.post("/write", data={"headline": "Long", "content": "word " * 200})
    page = visitor.get("/").get_data(as_text=True)
    assert "word " * 200 not in page
    assert "word word..." in page


def test_entry_page_shows_the_whole_text_in_paragraphs(visitor, log_in):
    log_in()
    visitor.post(
        "/write", data={"headline": "Two parts", "content": "First.\r\n\r\nSecond."}
    )
    page = visitor.get("/entry/3").get_data(as_text=True)
    assert "<title>Two parts · Jotter</title>" in page
    assert "<p>First.</p>" in page
    assert "<p>Second.</p>" in page


def test_missing_entry_is_a_404(visitor):
    response = visitor.get("/entry/999")
    assert response.status_code == 404
    assert "There is no entry number 999." in response.get_data(as_text=True)


def test_entry_page_offers_editing_only_to_its_author(visitor, log_in):
    assert 'href="/entry/1/edit"' not in visitor.get("/entry/1").get_data(as_text=True)
    log_in("grace")
    assert 'href="/entry/1/edit"' not in visitor.get("/entry/1").get_data(as_text=True)
    assert 'href="/entry/2/edit"' in visitor.get("/entry/2").get_data(as_text=True)


def test_markup_in_entries_is_escaped(visitor, log_in):
    log_in()
    visitor.post(
        "/write", data={"headline": "<b>bold</b>", "content": "<script>x()</script>"}
    )
    page = visitor.get("/entry/3").get_data(as_text=True)
    assert "<script>x()" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/write"),
        ("POST", "/write"),
        ("GET", "/entry/1/edit"),
        ("POST", "/entry/1/edit"),
        ("POST", "/entry/1/delete"),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(visitor, query, method, path):
    response = visitor.open(path, method=method, data={"headline": "h", "content": "c"})
    assert response.status_code == 302
    assert response.location == f"/account/login?next={path}"
    assert "Please log in first." in visitor.get("/").get_data(as_text=True)
    assert len(query("SELECT * FROM entry")) == 2


def test_write_page_shows_an_empty_form(visitor, log_in):
    log_in()
    response = visitor.get("/write")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>New entry</h1>" in page
    assert ">Publish</button>" in page
    assert "Delete this entry" not in page


def test_writing_publishes_an_entry_under_your_name(visitor, log_in, query):
    log_in("grace")
    response = visitor.post(
        "/write", data={"headline": " Nanoseconds ", "content": "About a foot of wire."}
    )
    assert response.status_code == 302
    assert response.location == "/entry/3"
    (row,) = query("SELECT author_id, headline, content FROM entry WHERE id = 3")
    assert tuple(row) == (2, "Nanoseconds", "About a foot of wire.")
    page = visitor.get("/").get_data(as_text=True)
    assert "Your entry is published." in page
    assert page.index("Nanoseconds") < page.index("A moth in relay 70")


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"headline": "", "content": "text"}, "Give the entry a headline."),
        ({"headline": "  ", "content": "text"}, "Give the entry a headline."),
        (
            {"headline": "x" * 121, "content": "text"},
            "Keep the headline to 120 characters or fewer.",
        ),
        ({"headline": "Title", "content": ""}, "Write something in the entry."),
        ({}, "Give the entry a headline."),
    ],
)
def test_writing_rejects_bad_input_and_keeps_what_was_typed(
    visitor, log_in, query, form, message
):
    log_in()
    response = visitor.post("/write", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    if form.get("headline", "").strip():
        assert f'value="{form["headline"]}"' in page
    assert len(query("SELECT * FROM entry")) == 2


def test_headline_limit_is_configurable(blog, visitor, log_in):
    blog.config["HEADLINE_MAX_LENGTH"] = 5
    log_in()
    response = visitor.post("/write", data={"headline": "Sixsix", "content": "c"})
    assert "Keep the headline to 5 characters or fewer." in response.get_data(
        as_text=True
    )
    response = visitor.post("/write", data={"headline": "Five5", "content": "c"})
    assert response.status_code == 302


def test_edit_page_is_filled_with_the_entry(visitor, log_in):
    log_in()
    page = visitor.get("/entry/1/edit").get_data(as_text=True)
    assert "<h1>Edit “Notes on the engine”</h1>" in page
    assert 'value="Notes on the engine"' in page
    assert ">It weaves algebraic patterns.</textarea>" in page
    assert 'action="/entry/1/delete"' in page


def test_editing_saves_changes_and_marks_the_entry_revised(visitor, log_in, query):
    log_in()
    response = visitor.post(
        "/entry/1/edit", data={"headline": "Note G", "content": "Bernoulli numbers."}
    )
    assert response.location == "/entry/1"
    (row,) = query("SELECT headline, content, revised_at FROM entry WHERE id = 1")
    assert (row["headline"], row["content"]) == ("Note G", "Bernoulli numbers.")
    assert row["revised_at"] is not None
    page = visitor.get("/entry/1").get_data(as_text=True)
    assert "Your changes are saved." in page
    assert ", revised " in page


def test_editing_with_bad_input_changes_nothing(visitor, log_in, query):
    log_in()
    response = visitor.post("/entry/1/edit", data={"headline": "Kept?", "content": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Write something in the entry." in page
    assert 'value="Kept?"' in page
    (row,) = query("SELECT headline, revised_at FROM entry WHERE id = 1")
    assert tuple(row) == ("Notes on the engine", None)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/entry/2/edit"), ("POST", "/entry/2/edit"), ("POST", "/entry/2/delete")],
)
def test_changing_someone_elses_entry_is_forbidden(
    visitor, log_in, query, method, path
):
    log_in("ada")
    response = visitor.open(
        path, method=method, data={"headline": "Mine", "content": "now"}
    )
    assert response.status_code == 403
    assert "Only its author may change this entry." in response.get_data(as_text=True)
    (row,) = query("SELECT headline FROM entry WHERE id = 2")
    assert row["headline"] == "A moth in relay 70"


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/entry/42/edit"), ("POST", "/entry/42/delete")]
)
def test_changing_a_missing_entry_is_a_404(visitor, log_in, method, path):
    log_in()
    assert visitor.open(path, method=method).status_code == 404


def test_deleting_your_entry_removes_it(visitor, log_in, query):
    log_in()
    response = visitor.post("/entry/1/delete")
    assert response.location == "/"
    page = visitor.get("/").get_data(as_text=True)
    assert "Deleted “Notes on the engine”." in page
    assert 'href="/entry/1"' not in page
    assert [tuple(row) for row in query("SELECT id FROM entry")] == [(2,)]
    assert visitor.get("/entry/1").status_code == 404


def test_delete_only_accepts_post(visitor, log_in):
    log_in()
    assert visitor.get("/entry/1/delete").status_code == 405


def test_stylesheet_is_served_and_linked(visitor):
    assert '<link rel="stylesheet" href="/static/jotter.css">' in visitor.get(
        "/"
    ).get_data(as_text=True)
    response = visitor.get("/static/jotter.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    response.close()
