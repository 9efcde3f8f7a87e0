"""Templates escape printed values and call methods as Jinja would, whatever the
template fast paths skip, and use whatever has been patched in their place."""

from __future__ import annotations

import typing as t

import jinja2
import markupsafe
import pytest
from jinja2.runtime import Context as JinjaContext
from jinja2.utils import _PassArg
from markupsafe import Markup
from werkzeug.local import LocalProxy

import flask
from flask import fastpaths
from flask.templating import Context


@pytest.fixture
def app() -> flask.Flask:
    return flask.Flask("template_fast_paths")


def render(app: flask.Flask, source: str, **context: t.Any) -> str:
    with app.app_context():
        return flask.render_template_string(source, **context)


class Shown:
    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


class Safe:
    def __html__(self) -> str:
        return "<b>safe</b>"


VALUES: list[t.Any] = [
    "plain",
    "<a & 'b'>",
    "",
    0,
    -12,
    True,
    None,
    1.5,
    Markup("<i>kept</i>"),
    Safe(),
    Shown("<str>"),
    ["<x>"],
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_printed_values_are_escaped_as_jinja_escapes_them(app, value):
    expected = (
        jinja2.Environment(autoescape=True).from_string("{{ v }}").render(v=value)
    )
    assert render(app, "{{ v }}", v=value) == expected


def test_streamed_pieces_are_markup(app):
    with app.app_context():
        pieces = list(flask.stream_template_string("{{ a }}{{ b }}", a="<", b=3))
    assert pieces == ["&lt;", "3"]
    assert [type(piece) for piece in pieces] == [Markup, Markup]


def test_a_proxy_of_a_string_is_escaped_through_its_html_and_str(app):
    # A proxy reports the class of its object: escaping must go by its real type.
    proxy = LocalProxy(lambda: "<p>")
    assert render(app, "{{ v }}", v=proxy) == "&lt;p&gt;"


def test_patched_markup_new_is_used(app, monkeypatch):
    made: list[str] = []
    original = Markup.__new__

    def recording(cls: type, value: t.Any = "", *args: t.Any) -> t.Any:
        made.append(str(value))
        return original(cls, value, *args)

    render(app, "{{ v }}", v="warm")
    monkeypatch.setattr(Markup, "__new__", recording)
    assert render(app, "{{ v }} {{ n }}", v="<x>", n=7) == "&lt;x&gt; 7"
    assert "&lt;x&gt;" in made
    assert "7" in made


def test_patched_markup_init_is_used(app, monkeypatch):
    seen: list[str] = []

    def init(self: Markup, *args: t.Any) -> None:
        seen.append(str(self))

    render(app, "{{ v }}", v="warm")
    monkeypatch.setattr(Markup, "__init__", init, raising=False)
    assert render(app, "{{ v }}", v="<y>") == "&lt;y&gt;"
    assert seen == ["&lt;y&gt;"]


def test_a_replaced_markup_class_is_used(app, monkeypatch):
    class Tagged(Markup):
        def __new__(cls, value: t.Any = "", *args: t.Any) -> Tagged:
            return super().__new__(cls, f"[{value}]")

    monkeypatch.setattr(markupsafe, "Markup", Tagged)
    expected = (
        jinja2.Environment(autoescape=True).from_string("{{ v }}").render(v="<z>")
    )
    assert render(app, "{{ v }}", v="<z>") == expected
    if fastpaths.template_escape is not None:  # markupsafe 3's escape reads Markup
        assert expected == "[&lt;z&gt;]"


def test_an_escape_patched_into_jinja_before_compiling_is_used(app, monkeypatch):
    import jinja2.runtime

    monkeypatch.setattr(jinja2.runtime, "escape", lambda value: Markup("patched"))
    assert render(app, "{{ v }}", v="<q>") == "patched"


def test_with_fast_paths_off_templates_keep_markupsafe_escape(app, monkeypatch):
    monkeypatch.setattr(fastpaths, "ENABLED", False)
    with app.app_context():
        template = app.jinja_env.from_string("{{ v }}")
    assert template.root_render_func.__globals__["escape"] is markupsafe.escape


def test_without_a_stand_in_templates_keep_markupsafe_escape(app, monkeypatch):
    monkeypatch.setattr(fastpaths, "template_escape", None)
    with app.app_context():
        template = app.jinja_env.from_string("{{ v }}")
    assert template.root_render_func.__globals__["escape"] is markupsafe.escape


@pytest.mark.usefixtures("fast_paths_on")
def test_loaded_templates_get_the_stand_in(app):
    app.jinja_loader = jinja2.DictLoader({"page.html": "{{ v }}"})
    with app.app_context():
        template = app.jinja_env.get_template("page.html")
        assert flask.render_template("page.html", v="<w>") == "&lt;w&gt;"
    escape = template.root_render_func.__globals__["escape"]
    assert escape is (fastpaths.template_escape or markupsafe.escape)


# Calls --------------------------------------------------------------------------------


class Counter:
    def __init__(self) -> None:
        self.count = 0

    def bump(self, by: int = 1) -> int:
        self.count += by
        return self.count

    @jinja2.pass_context
    def template_name(self, context: t.Any) -> str:
        return str(context.name)

    def stop(self) -> None:
        raise StopIteration

    def first(self, *args: t.Any) -> str:
        return type(args[0]).__name__ if args else "nothing"


def test_a_method_is_called_with_its_arguments(app):
    assert render(app, "{{ c.bump() }} {{ c.bump(by=5) }}", c=Counter()) == "1 6"


def test_a_method_asking_for_the_context_gets_it(app):
    with app.app_context():
        template = app.jinja_env.from_string("{{ c.template_name() }}")
        template.name = "named.html"
        assert template.render(c=Counter()) == "named.html"


def test_loop_cycle_and_stop_iteration_behave_as_in_jinja(app):
    source = (
        "{% for i in range(3) %}{{ loop.cycle('a', 'b') }}{% endfor %}|{{ c.stop() }}"
    )
    expected = jinja2.Environment().from_string(source).render(c=Counter())
    assert render(app, source, c=Counter()) == expected == "aba|"


def test_a_callable_object_asking_for_the_context_gets_it(app):
    class Greeter:
        @jinja2.pass_context
        def __call__(self, context: t.Any) -> str:
            return f"hello {context['who']}"

    assert render(app, "{{ greet() }}", greet=Greeter(), who="you") == "hello you"


def test_a_method_of_a_callable_asking_for_the_context_gets_it(app):
    # A bound method whose function is not a plain function: its jinja_pass_arg comes
    # from its class, not from a __dict__.
    from types import MethodType

    class Wants:
        jinja_pass_arg = _PassArg.context

        def __call__(self, owner: t.Any, context: t.Any) -> str:
            return f"{type(owner).__name__} in {context['where']}"

    method = MethodType(Wants(), Counter())
    assert render(app, "{{ m() }}", m=method, where="here") == "Counter in here"


def test_patched_context_call_is_used(app, monkeypatch):
    def call(self: t.Any, obj: t.Any, *args: t.Any, **kwargs: t.Any) -> str:
        return "intercepted"

    monkeypatch.setattr(JinjaContext, "call", call)
    assert render(app, "{{ c.bump() }}", c=Counter()) == "intercepted"


def test_with_fast_paths_off_calls_go_through_jinja(app, monkeypatch):
    # Jinja's call asks _PassArg; with the fast paths off, a patched answer is heard.
    monkeypatch.setattr(fastpaths, "ENABLED", False)
    monkeypatch.setattr(
        _PassArg, "from_obj", classmethod(lambda cls, obj: _PassArg.environment)
    )
    assert render(app, "{{ c.first() }}", c=Counter()) == "Environment"


def test_template_contexts_are_jinja_contexts(app):
    seen: list[t.Any] = []

    @jinja2.pass_context
    def grab(context: t.Any) -> str:
        seen.append(context)
        return ""

    render(app, "{{ grab() }}", grab=grab)
    assert isinstance(seen[0], JinjaContext)
    assert type(seen[0]) is Context
    assert repr(seen[0]).startswith("<Context ")


@pytest.mark.usefixtures("fast_paths_on")
def test_describe_names_what_turns_the_template_paths_off(app, monkeypatch):
    with app.app_context():
        app.jinja_env  # noqa: B018  (imports and captures Jinja)
    report = fastpaths.describe(app)
    assert report["template_calls"] == "on"
    if fastpaths.template_escape is None:  # markupsafe 2
        assert report["template_escaping"] == fastpaths._NOT_MARKUPSAFE_ESCAPE
        return
    assert report["template_escaping"] == "on"
    with monkeypatch.context() as patch:
        patch.setattr(JinjaContext, "call", lambda *args, **kwargs: None)
        assert fastpaths.describe(app)["template_calls"] == (
            "jinja2.runtime.Context.call is patched"
        )
    with monkeypatch.context() as patch:
        patch.setattr(Markup, "__new__", lambda cls, value="": str.__new__(cls, value))
        assert fastpaths.describe(app)["template_escaping"] == (
            "markupsafe's Markup.__new__ is patched or overridden"
        )
    with monkeypatch.context() as patch:
        patch.setattr(Markup, "__init__", lambda self, *a: None, raising=False)
        assert fastpaths.describe(app)["template_escaping"] == (
            "markupsafe's Markup.__init__ is patched or overridden"
        )
    with monkeypatch.context() as patch:
        patch.setattr(fastpaths, "template_escape", None)
        assert fastpaths.describe(app)["template_escaping"] == (
            "markupsafe.escape is not markupsafe 3's own function"
        )
