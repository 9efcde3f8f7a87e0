"""Configuration: the ``Config`` dict and its loaders, ``ConfigAttribute``, the default
keys, and how an application creates its config."""

from __future__ import annotations

import json
import os
import textwrap
from datetime import timedelta

import pytest

import flask
from flask import Config
from flask.config import ConfigAttribute

SPEC_DEFAULTS = {
    "DEBUG": None,
    "TESTING": False,
    "PROPAGATE_EXCEPTIONS": None,
    "SECRET_KEY": None,
    "SECRET_KEY_FALLBACKS": None,
    "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
    "USE_X_SENDFILE": False,
    "TRUSTED_HOSTS": None,
    "SERVER_NAME": None,
    "APPLICATION_ROOT": "/",
    "SESSION_COOKIE_NAME": "session",
    "SESSION_COOKIE_DOMAIN": None,
    "SESSION_COOKIE_PATH": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_PARTITIONED": False,
    "SESSION_COOKIE_SAMESITE": None,
    "SESSION_REFRESH_EACH_REQUEST": True,
    "MAX_CONTENT_LENGTH": None,
    "MAX_FORM_MEMORY_SIZE": 500_000,
    "MAX_FORM_PARTS": 1_000,
    "SEND_FILE_MAX_AGE_DEFAULT": None,
    "TRAP_BAD_REQUEST_ERRORS": None,
    "TRAP_HTTP_EXCEPTIONS": False,
    "EXPLAIN_TEMPLATE_LOADING": False,
    "PREFERRED_URL_SCHEME": "http",
    "TEMPLATES_AUTO_RELOAD": None,
    "MAX_COOKIE_SIZE": 4093,
    "PROVIDE_AUTOMATIC_OPTIONS": True,
}
# Keys this package adds to Flask 3.1.3's (see docs/compatibility.rst).
OWN_DEFAULTS = {"ASYNC_RUNNER": "shared_loop"}


@pytest.fixture
def config(tmp_path) -> Config:
    return Config(str(tmp_path))


def write(path, text: str) -> str:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


# The Config dict -------------------------------------------------------------------------


def test_config_is_a_dict_with_defaults_and_root_path(tmp_path):
    config = Config(str(tmp_path), {"COLOR": "blue"})
    assert isinstance(config, dict)
    assert config == {"COLOR": "blue"}
    assert config.root_path == str(tmp_path)
    config["SIZE"] = 3
    assert dict(config) == {"COLOR": "blue", "SIZE": 3}


def test_config_without_defaults_is_empty(config):
    assert config == {}


def test_config_defaults_are_copied(tmp_path):
    defaults = {"COLOR": "blue"}
    config = Config(str(tmp_path), defaults)
    config["COLOR"] = "red"
    assert defaults == {"COLOR": "blue"}


def test_config_repr_names_class_and_shows_contents(tmp_path):
    assert (
        repr(Config(str(tmp_path), {"COLOR": "blue"})) == "<Config {'COLOR': 'blue'}>"
    )

    class SiteConfig(Config):
        pass

    assert repr(SiteConfig(str(tmp_path))) == "<SiteConfig {}>"


# from_object -------------------------------------------------------------------------


class ProductionSettings:
    DATABASE_URI = "postgres://db.internal/prod"
    CACHE_SECONDS = 300
    helper_value = "not a setting"
    MixedCase = "ignored"


def test_from_object_copies_uppercase_class_attributes(config):
    config.from_object(ProductionSettings)
    assert config == {
        "DATABASE_URI": "postgres://db.internal/prod",
        "CACHE_SECONDS": 300,
    }


def test_from_object_reads_instances_and_properties(config):
    class Computed:
        BASE = "/srv"

        @property
        def UPLOADS(self):
            return f"{self.BASE}/uploads"

    config.from_object(Computed())
    assert config["UPLOADS"] == "/srv/uploads"
    assert config["BASE"] == "/srv"


def test_from_object_inherits_settings_from_base_classes(config):
    class Staging(ProductionSettings):
        DATABASE_URI = "postgres://db.internal/staging"

    config.from_object(Staging)
    assert config["DATABASE_URI"] == "postgres://db.internal/staging"
    assert config["CACHE_SECONDS"] == 300


def test_from_object_imports_a_dotted_string(config, modules_tmp_path):
    write(
        modules_tmp_path / "shop_settings.py",
        """
        PAYMENT_PROVIDER = "acme"
        retries = 3

        class Dev:
            PAYMENT_PROVIDER = "sandbox"
        """,
    )
    config.from_object("shop_settings")
    assert config == {"PAYMENT_PROVIDER": "acme"}
    config.from_object("shop_settings.Dev")
    assert config["PAYMENT_PROVIDER"] == "sandbox"


def test_from_object_bad_import_string_raises(config):
    with pytest.raises(ImportError):
        config.from_object("no_such_settings_module_here")


def test_from_object_overwrites_existing_keys_only(tmp_path):
    config = Config(str(tmp_path), {"CACHE_SECONDS": 1, "KEEP": True})
    config.from_object(ProductionSettings)
    assert config["CACHE_SECONDS"] == 300
    assert config["KEEP"] is True


# from_pyfile ---------------------------------------------------------------------------


def test_from_pyfile_is_relative_to_root_path_and_returns_true(config, tmp_path):
    write(
        tmp_path / "site.cfg",
        """
        import os
        SITE_NAME = "Pantry"
        ITEMS_PER_PAGE = 10 * 2
        temporary = "lowercase names are skipped"
        HERE = os.path.basename(__file__)
        """,
    )
    assert config.from_pyfile("site.cfg") is True
    assert config == {"SITE_NAME": "Pantry", "ITEMS_PER_PAGE": 20, "HERE": "site.cfg"}


def test_from_pyfile_accepts_absolute_path_and_pathlike(tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    path = other / "deploy.py"
    write(path, "REGION = 'north'\n")
    config = Config(str(tmp_path / "unrelated"))
    assert config.from_pyfile(str(path)) is True
    assert config["REGION"] == "north"
    config.clear()
    assert config.from_pyfile(path) is True
    assert config["REGION"] == "north"


def test_from_pyfile_missing_file_error_names_the_file(config, tmp_path):
    with pytest.raises(OSError) as info:
        config.from_pyfile("absent.cfg")
    message = str(info.value)
    assert "Unable to load configuration file" in message
    assert os.path.join(str(tmp_path), "absent.cfg") in message
    assert isinstance(info.value, FileNotFoundError)


def test_from_pyfile_missing_file_silent_returns_false(config):
    config["KEPT"] = 1
    assert config.from_pyfile("absent.cfg", silent=True) is False
    assert config == {"KEPT": 1}


def test_from_pyfile_directory_is_silent_or_an_error(config, tmp_path):
    (tmp_path / "folder.cfg").mkdir()
    assert config.from_pyfile("folder.cfg", silent=True) is False
    with pytest.raises(IsADirectoryError, match="folder.cfg"):
        config.from_pyfile("folder.cfg")


def test_from_pyfile_path_through_a_file_is_silent(config, tmp_path):
    write(tmp_path / "plain.txt", "")
    assert config.from_pyfile("plain.txt/inner.cfg", silent=True) is False
    with pytest.raises(NotADirectoryError, match="inner.cfg"):
        config.from_pyfile("plain.txt/inner.cfg")


def test_from_pyfile_errors_in_the_file_are_not_silenced(config, tmp_path):
    write(tmp_path / "broken.cfg", "VALUE = 1 / 0\n")
    with pytest.raises(ZeroDivisionError):
        config.from_pyfile("broken.cfg", silent=True)
    write(tmp_path / "syntax.cfg", "VALUE = (\n")
    with pytest.raises(SyntaxError):
        config.from_pyfile("syntax.cfg", silent=True)


# from_file ---------------------------------------------------------------------------


def test_from_file_with_json_load(config, tmp_path):
    (tmp_path / "settings.json").write_text(
        json.dumps({"MAIL_PORT": 2525, "MAIL": {"host": "mx"}, "note": "skip"}),
        encoding="utf-8",
    )
    assert config.from_file("settings.json", load=json.load) is True
    assert config == {"MAIL_PORT": 2525, "MAIL": {"host": "mx"}}


def test_from_file_opens_binary_for_loaders_that_need_bytes(config, tmp_path):
    # tomllib.load (Python 3.11+) is the usual binary loader; this one behaves the
    # same way, refusing text files, so the test also runs on Python 3.10.
    def load_bytes(f):
        data = f.read()
        assert isinstance(data, bytes)
        return json.loads(data.decode("utf-8"))

    write(tmp_path / "settings.bin", '{"MAIL_PORT": 2525, "lower": "skip"}')
    assert config.from_file("settings.bin", load=load_bytes, text=False) is True
    assert config == {"MAIL_PORT": 2525}


@pytest.mark.parametrize(
    ("options", "expected"),
    [({}, str), ({"text": True}, str), ({"text": False}, bytes)],
)
def test_from_file_opens_text_unless_told_otherwise(
    config, tmp_path, options, expected
):
    write(tmp_path / "raw.cfg", "plain text")
    contents = []

    def load(f):
        contents.append(f.read())
        return {}

    config.from_file("raw.cfg", load=load, **options)
    assert type(contents[0]) is expected
    assert contents[0] == ("plain text" if expected is str else b"plain text")


def test_from_file_passes_open_file_to_loader(config, tmp_path):
    write(tmp_path / "pairs.txt", "NAME=shop\nMODE=fast\nbad=x\n")
    received = []

    def load_pairs(f):
        received.append(f.read())
        return dict(line.split("=") for line in received[0].splitlines())

    config.from_file("pairs.txt", load=load_pairs)
    assert received == ["NAME=shop\nMODE=fast\nbad=x\n"]
    assert config == {"NAME": "shop", "MODE": "fast"}


def test_from_file_missing_file_error_names_the_file(config, tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        config.from_file("absent.json", load=json.load)
    assert "Unable to load configuration file" in str(info.value)
    assert os.path.join(str(tmp_path), "absent.json") in str(info.value)


def test_from_file_silent_cases_return_false(config, tmp_path):
    (tmp_path / "a_folder.json").mkdir()
    assert config.from_file("absent.json", load=json.load, silent=True) is False
    assert config.from_file("a_folder.json", load=json.load, silent=True) is False
    assert config == {}


def test_from_file_directory_without_silent_raises(config, tmp_path):
    (tmp_path / "a_folder.json").mkdir()
    with pytest.raises(IsADirectoryError, match="a_folder.json"):
        config.from_file("a_folder.json", load=json.load)


def test_from_file_loader_errors_are_not_silenced(config, tmp_path):
    write(tmp_path / "bad.json", "{not json")
    with pytest.raises(json.JSONDecodeError):
        config.from_file("bad.json", load=json.load, silent=True)


def test_from_file_relative_to_instance_folder(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "local.json").write_text('{"LOCAL": true}', encoding="utf-8")
    app = flask.Flask(
        "instance_json",
        root_path=str(tmp_path),
        instance_path=str(instance),
        instance_relative_config=True,
    )
    assert app.config.from_file("local.json", load=json.load) is True
    assert app.config["LOCAL"] is True


# from_envvar ---------------------------------------------------------------------------


def test_from_envvar_unset_variable_error_names_it(config, monkeypatch):
    monkeypatch.delenv("PANTRY_SETTINGS", raising=False)
    with pytest.raises(RuntimeError, match="'PANTRY_SETTINGS' is not set"):
        config.from_envvar("PANTRY_SETTINGS")


def test_from_envvar_empty_variable_counts_as_unset(config, monkeypatch):
    monkeypatch.setenv("PANTRY_SETTINGS", "")
    with pytest.raises(RuntimeError, match="PANTRY_SETTINGS"):
        config.from_envvar("PANTRY_SETTINGS")
    assert config.from_envvar("PANTRY_SETTINGS", silent=True) is False


def test_from_envvar_unset_variable_silent_returns_false(config, monkeypatch):
    monkeypatch.delenv("PANTRY_SETTINGS", raising=False)
    assert config.from_envvar("PANTRY_SETTINGS", silent=True) is False
    assert config == {}


def test_from_envvar_loads_the_named_python_file(config, tmp_path, monkeypatch):
    path = write(tmp_path / "prod.cfg", "SHELF_COUNT = 12\nlocal = 0\n")
    monkeypatch.setenv("PANTRY_SETTINGS", path)
    assert config.from_envvar("PANTRY_SETTINGS") is True
    assert config == {"SHELF_COUNT": 12}


def test_from_envvar_relative_value_uses_root_path(config, tmp_path, monkeypatch):
    write(tmp_path / "prod.cfg", "SHELF_COUNT = 12\n")
    monkeypatch.setenv("PANTRY_SETTINGS", "prod.cfg")
    assert config.from_envvar("PANTRY_SETTINGS") is True
    assert config["SHELF_COUNT"] == 12


def test_from_envvar_missing_file(config, tmp_path, monkeypatch):
    monkeypatch.setenv("PANTRY_SETTINGS", str(tmp_path / "gone.cfg"))
    assert config.from_envvar("PANTRY_SETTINGS", silent=True) is False
    with pytest.raises(FileNotFoundError, match="gone.cfg"):
        config.from_envvar("PANTRY_SETTINGS")


# from_prefixed_env ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _only_the_test_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    # The suite may run with FLASK_FAST_PATHS set (read when flask is imported);
    # from_prefixed_env must see only the variables each test sets.
    monkeypatch.delenv("FLASK_FAST_PATHS", raising=False)


def test_from_prefixed_env_parses_json_and_falls_back_to_strings(config, monkeypatch):
    monkeypatch.setenv("FLASK_PORT", "8080")
    monkeypatch.setenv("FLASK_RATIO", "0.25")
    monkeypatch.setenv("FLASK_ENABLED", "true")
    monkeypatch.setenv("FLASK_NOTHING", "null")
    monkeypatch.setenv("FLASK_HOSTS", '["a.test", "b.test"]')
    monkeypatch.setenv("FLASK_LIMITS", '{"burst": 5}')
    monkeypatch.setenv("FLASK_QUOTED", '"in quotes"')
    monkeypatch.setenv("FLASK_GREETING", "hello world")
    assert config.from_prefixed_env() is True
    assert config == {
        "PORT": 8080,
        "RATIO": 0.25,
        "ENABLED": True,
        "NOTHING": None,
        "HOSTS": ["a.test", "b.test"],
        "LIMITS": {"burst": 5},
        "QUOTED": "in quotes",
        "GREETING": "hello world",
    }


def test_from_prefixed_env_needs_the_underscore_and_keeps_key_case(config, monkeypatch):
    monkeypatch.setenv("FLASKY", "1")
    monkeypatch.setenv("NOT_FLASK_THING", "1")
    monkeypatch.setenv("FLASK_mixed_Case", "2")
    config.from_prefixed_env()
    assert config == {"mixed_Case": 2}


def test_from_prefixed_env_custom_prefix(config, monkeypatch):
    monkeypatch.setenv("PANTRY_SHELVES", "4")
    monkeypatch.setenv("FLASK_SHELVES", "99")
    config.from_prefixed_env("PANTRY")
    assert config == {"SHELVES": 4}


def test_from_prefixed_env_custom_loads(config, monkeypatch):
    monkeypatch.setenv("FLASK_TAGS", "red,green")
    monkeypatch.setenv("FLASK_NUMBER", "5")
    config.from_prefixed_env(loads=lambda value: value.split(","))
    assert config == {"TAGS": ["red", "green"], "NUMBER": ["5"]}


def test_from_prefixed_env_loader_errors_keep_the_string(config, monkeypatch):
    def refuse(value):
        raise ValueError("cannot parse")

    monkeypatch.setenv("FLASK_LEVEL", "3")
    config.from_prefixed_env(loads=refuse)
    assert config == {"LEVEL": "3"}


def test_from_prefixed_env_nested_keys_create_dicts(config, monkeypatch):
    monkeypatch.setenv("FLASK_DB__HOST", "db.local")
    monkeypatch.setenv("FLASK_DB__POOL__SIZE", "8")
    config.from_prefixed_env()
    assert config == {"DB": {"HOST": "db.local", "POOL": {"SIZE": 8}}}


def test_from_prefixed_env_nested_keys_update_existing_dicts(tmp_path, monkeypatch):
    config = Config(str(tmp_path), {"DB": {"HOST": "localhost", "PORT": 5432}})
    monkeypatch.setenv("FLASK_DB__HOST", "db.prod")
    monkeypatch.setenv("FLASK_DB__USER", "app")
    config.from_prefixed_env()
    assert config["DB"] == {"HOST": "db.prod", "PORT": 5432, "USER": "app"}


def test_from_prefixed_env_applies_variables_in_sorted_order(config, monkeypatch):
    seen = []

    def record(value):
        seen.append(value)
        return value

    monkeypatch.setenv("FLASK_ZEBRA", "z")
    monkeypatch.setenv("FLASK_APPLE", "a")
    monkeypatch.setenv("FLASK_MANGO", "m")
    config.from_prefixed_env(loads=record)
    assert seen == ["a", "m", "z"]
    assert list(config) == ["APPLE", "MANGO", "ZEBRA"]


def test_from_prefixed_env_sorted_order_lets_nested_key_extend_earlier_value(
    config, monkeypatch
):
    # "CACHE" sorts before "CACHE__TIMEOUT", so the nested value lands in the dict.
    monkeypatch.setenv("FLASK_CACHE", '{"TYPE": "simple"}')
    monkeypatch.setenv("FLASK_CACHE__TIMEOUT", "60")
    config.from_prefixed_env()
    assert config["CACHE"] == {"TYPE": "simple", "TIMEOUT": 60}


def test_from_prefixed_env_without_matches_changes_nothing(tmp_path):
    config = Config(str(tmp_path), {"KEEP": 1})
    assert config.from_prefixed_env("NO_SUCH_PREFIX_ANYWHERE") is True
    assert config == {"KEEP": 1}


# from_mapping --------------------------------------------------------------------------


def test_from_mapping_takes_uppercase_keys_only(config):
    assert config.from_mapping({"THEME": "dark", "theme": "light", "Cols": 3}) is True
    assert config == {"THEME": "dark"}


def test_from_mapping_keyword_arguments(config):
    assert config.from_mapping(THEME="dark", width=80) is True
    assert config == {"THEME": "dark"}


def test_from_mapping_keywords_win_over_mapping(config):
    config.from_mapping({"THEME": "dark", "SIZE": 1}, THEME="light")
    assert config == {"THEME": "light", "SIZE": 1}


def test_from_mapping_accepts_pairs_and_nothing(config):
    config.from_mapping([("THEME", "dark"), ("skip", 1)])
    assert config == {"THEME": "dark"}
    assert config.from_mapping() is True
    assert config == {"THEME": "dark"}


# get_namespace -------------------------------------------------------------------------


@pytest.fixture
def store_config(tmp_path) -> Config:
    return Config(
        str(tmp_path),
        {
            "UPLOAD_STORE_BACKEND": "disk",
            "UPLOAD_STORE_Base_Dir": "/data",
            "UPLOAD_STOREFRONT": "other",
            "MAIL_SERVER": "mx",
        },
    )


def test_get_namespace_trims_and_lowercases_by_default(store_config):
    assert store_config.get_namespace("UPLOAD_STORE_") == {
        "backend": "disk",
        "base_dir": "/data",
    }


def test_get_namespace_can_keep_case(store_config):
    assert store_config.get_namespace("UPLOAD_STORE_", lowercase=False) == {
        "BACKEND": "disk",
        "Base_Dir": "/data",
    }


def test_get_namespace_can_keep_prefix(store_config):
    assert store_config.get_namespace("UPLOAD_STORE_", trim_namespace=False) == {
        "upload_store_backend": "disk",
        "upload_store_base_dir": "/data",
    }


def test_get_namespace_raw_keys(store_config):
    found = store_config.get_namespace(
        "UPLOAD_STORE", lowercase=False, trim_namespace=False
    )
    assert found == {
        "UPLOAD_STORE_BACKEND": "disk",
        "UPLOAD_STORE_Base_Dir": "/data",
        "UPLOAD_STOREFRONT": "other",
    }


def test_get_namespace_returns_a_new_dict(store_config):
    found = store_config.get_namespace("MAIL_")
    found["server"] = "changed"
    assert store_config["MAIL_SERVER"] == "mx"
    assert store_config.get_namespace("NOPE_") == {}


# ConfigAttribute -----------------------------------------------------------------------


class Service:
    region = ConfigAttribute("REGION")
    timeout = ConfigAttribute("TIMEOUT", get_converter=lambda v: timedelta(seconds=v))

    def __init__(self, config):
        self.config = config


def test_config_attribute_forwards_reads_and_writes(config):
    service = Service(config)
    config["REGION"] = "eu"
    assert service.region == "eu"
    service.region = "us"
    assert config["REGION"] == "us"


def test_config_attribute_converts_on_read_only(config):
    service = Service(config)
    config["TIMEOUT"] = 30
    assert service.timeout == timedelta(seconds=30)
    service.timeout = 45
    assert config["TIMEOUT"] == 45


def test_config_attribute_missing_key_is_a_key_error(config):
    with pytest.raises(KeyError):
        Service(config).region  # noqa: B018


def test_config_attribute_on_the_class_is_the_descriptor():
    assert isinstance(Service.region, ConfigAttribute)
    assert isinstance(flask.Flask.testing, ConfigAttribute)
    assert isinstance(flask.Flask.secret_key, ConfigAttribute)
    assert isinstance(flask.Flask.permanent_session_lifetime, ConfigAttribute)


def test_config_attribute_on_app_subclass(tmp_path):
    class App(flask.Flask):
        upload_limit = ConfigAttribute("UPLOAD_LIMIT")

    app = App("attr_app", root_path=str(tmp_path))
    app.upload_limit = 1024
    assert app.config["UPLOAD_LIMIT"] == 1024


# Defaults and application config -------------------------------------------------------


def test_default_config_matches_spec():
    assert dict(flask.Flask.default_config) == {**SPEC_DEFAULTS, **OWN_DEFAULTS}


def test_new_app_config_has_every_default(tmp_path):
    app = flask.Flask("defaults", root_path=str(tmp_path))
    assert isinstance(app.config, Config)
    # DEBUG comes from FLASK_DEBUG, which is unset here.
    assert dict(app.config) == {**SPEC_DEFAULTS, **OWN_DEFAULTS, "DEBUG": False}


def test_app_config_is_independent_of_default_config(tmp_path):
    first = flask.Flask("first_app", root_path=str(tmp_path))
    first.config["SESSION_COOKIE_NAME"] = "changed"
    second = flask.Flask("second_app", root_path=str(tmp_path))
    assert second.config["SESSION_COOKIE_NAME"] == "session"
    assert flask.Flask.default_config["SESSION_COOKIE_NAME"] == "session"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        ("yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("False", False),
        ("no", False),
        ("NO", False),
        ("", False),
    ],
)
def test_flask_debug_env_sets_debug_at_creation(tmp_path, monkeypatch, value, expected):
    monkeypatch.setenv("FLASK_DEBUG", value)
    app = flask.Flask("debug_env", root_path=str(tmp_path))
    assert app.config["DEBUG"] is expected
    assert app.debug is expected


def test_flask_debug_env_is_read_at_creation_only(tmp_path, monkeypatch):
    app = flask.Flask("debug_later", root_path=str(tmp_path))
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert app.debug is False


def test_config_root_path_is_app_root_by_default(tmp_path):
    app = flask.Flask(
        "root_cfg", root_path=str(tmp_path), instance_path=str(tmp_path / "inst")
    )
    assert app.config.root_path == str(tmp_path)
    write(tmp_path / "app.cfg", "SOURCE = 'root'\n")
    assert app.config.from_pyfile("app.cfg") is True
    assert app.config["SOURCE"] == "root"


def test_instance_relative_config_reads_from_instance_folder(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    write(tmp_path / "app.cfg", "SOURCE = 'root'\n")
    write(instance / "app.cfg", "SOURCE = 'instance'\n")
    app = flask.Flask(
        "instance_cfg",
        root_path=str(tmp_path),
        instance_path=str(instance),
        instance_relative_config=True,
    )
    assert app.config.root_path == str(instance)
    assert app.config.from_pyfile("app.cfg") is True
    assert app.config["SOURCE"] == "instance"


def test_instance_relative_config_missing_file_silent(tmp_path):
    app = flask.Flask(
        "instance_missing",
        root_path=str(tmp_path),
        instance_path=str(tmp_path / "not_created"),
        instance_relative_config=True,
    )
    assert app.config.from_pyfile("app.cfg", silent=True) is False


def test_permanent_session_lifetime_int_is_seconds(tmp_path):
    app = flask.Flask("lifetime_int", root_path=str(tmp_path))
    app.config.from_mapping(PERMANENT_SESSION_LIFETIME=600)
    assert app.permanent_session_lifetime == timedelta(minutes=10)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), (90, 90), (timedelta(hours=2), 7200)],
)
def test_send_file_max_age_default_accepts_seconds_or_timedelta(
    app, app_ctx, value, expected
):
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = value
    assert app.get_send_file_max_age("logo.png") == expected


def test_app_config_loaded_from_object_reaches_views(app, client):
    class Settings:
        SHOP_TITLE = "Corner Shop"

    app.config.from_object(Settings)

    @app.route("/")
    def index():
        return flask.current_app.config["SHOP_TITLE"]

    assert client.get("/").data == b"Corner Shop"
