"""Blueprints: reusable groups of routes, hooks and handlers, registered on an
application, possibly several times and nested in each other."""

from __future__ import annotations

import os
import typing as t
from collections import defaultdict
from functools import update_wrapper

from .. import typing as ft
from .scaffold import _endpoint_from_view_func
from .scaffold import _registering_decorator
from .scaffold import _sentinel
from .scaffold import Scaffold
from .scaffold import setupmethod

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import App

DeferredSetupFunction = t.Callable[["BlueprintSetupState"], None]
# A nested blueprint and the options it was registered with.
_NestedBlueprint = tuple["Blueprint", dict[str, t.Any]]
T_after_request = t.TypeVar("T_after_request", bound=ft.AfterRequestCallable[t.Any])
T_before_request = t.TypeVar("T_before_request", bound=ft.BeforeRequestCallable)
T_error_handler = t.TypeVar("T_error_handler", bound=ft.ErrorHandlerCallable)
T_teardown = t.TypeVar("T_teardown", bound=ft.TeardownCallable)
T_template_context_processor = t.TypeVar(
    "T_template_context_processor", bound=ft.TemplateContextProcessorCallable
)
T_template_filter = t.TypeVar("T_template_filter", bound=ft.TemplateFilterCallable)
T_template_global = t.TypeVar("T_template_global", bound=ft.TemplateGlobalCallable)
T_template_test = t.TypeVar("T_template_test", bound=ft.TemplateTestCallable)
T_url_defaults = t.TypeVar("T_url_defaults", bound=ft.URLDefaultCallable)
T_url_value_preprocessor = t.TypeVar(
    "T_url_value_preprocessor", bound=ft.URLValuePreprocessorCallable
)


def _join_url_prefix(prefix: str, rule: str) -> str:
    # Exactly one slash between the prefix and the rule.
    return f"{prefix.rstrip('/')}/{rule.lstrip('/')}"


class BlueprintSetupState:
    """What a blueprint's deferred functions receive when the blueprint is registered:
    the application, the registration options, and the prefixes they imply.

    :param blueprint: The blueprint being registered.
    :param app: The application it is registered on.
    :param options: The keyword arguments of ``register_blueprint`` (plus, for nested
        blueprints, the parent's combined prefixes).
    :param first_registration: Whether this is the blueprint's first registration on
        this application.
    """

    def __init__(
        self,
        blueprint: Blueprint,
        app: App,
        options: t.Any,
        first_registration: bool,
    ) -> None:
        #: The application the blueprint is registered on.
        self.app = app
        #: The blueprint being registered.
        self.blueprint = blueprint
        #: The options given to ``register_blueprint``.
        self.options = options
        #: Whether the blueprint was not registered on this application before. Used
        #: by :meth:`Blueprint.record_once`.
        self.first_registration = first_registration

        subdomain = options.get("subdomain")
        #: The subdomain the blueprint's rules match; the option wins over the
        #: blueprint's own.
        self.subdomain = blueprint.subdomain if subdomain is None else subdomain

        url_prefix = options.get("url_prefix")
        #: The prefix of the blueprint's rules; the option wins over the blueprint's own.
        self.url_prefix = blueprint.url_prefix if url_prefix is None else url_prefix

        #: The name of this registration (``name=`` or the blueprint's name).
        self.name = options.get("name", blueprint.name)
        #: The dotted names of the parents, for a nested blueprint.
        self.name_prefix = options.get("name_prefix", "")

        #: Default values for the variables of every rule the blueprint adds.
        self.url_defaults = dict(blueprint.url_values_defaults)
        self.url_defaults.update(options.get("url_defaults", ()))

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        **options: t.Any,
    ) -> None:
        """Add a rule to the application with this registration's URL prefix,
        subdomain, default values, and dotted endpoint name."""
        prefix = self.url_prefix
        if prefix is not None:
            rule = _join_url_prefix(prefix, rule) if rule else prefix
        options.setdefault("subdomain", self.subdomain)
        if endpoint is None:
            endpoint = _endpoint_from_view_func(view_func)  # type: ignore[arg-type]
        # Without a name prefix the dotted name would start with a dot.
        dotted = f"{self.name_prefix}.{self.name}.{endpoint}".lstrip(".")

        # Defaults given for this rule win over the registration's.
        defaults = self.url_defaults
        if "defaults" in options:
            defaults = {**defaults, **options.pop("defaults")}

        self.app.add_url_rule(rule, dotted, view_func, defaults=defaults, **options)


class Blueprint(Scaffold):
    """A group of views and handlers to register on applications.

    A blueprint records what is registered on it and replays it on every application
    it is registered with, under its name: endpoints become ``"<name>.<endpoint>"``,
    and its hooks and error handlers apply to its own endpoints only. Use it to split
    an application into components, or to ship views in a library.

    ::

        bp = Blueprint("auth", __name__, url_prefix="/auth")

        @bp.route("/login")
        def login(): ...

        app.register_blueprint(bp)  # endpoint "auth.login" at /auth/login

    :param name: The blueprint's name, the prefix of its endpoints. It may not be empty
        or contain a dot.
    :param import_name: The import name of the blueprint's module, usually
        ``__name__``; used to find :attr:`root_path`.
    :param static_folder: Folder with static files, served at ``url_prefix +
        static_url_path`` with the endpoint ``<name>.static``.
    :param static_url_path: URL of the static files; the folder's name by default.
    :param template_folder: Folder with templates, searched after the application's.
    :param url_prefix: Prefix of all the blueprint's URLs.
    :param subdomain: Subdomain the blueprint's routes match.
    :param url_defaults: Default values for the variables of the blueprint's rules.
    :param root_path: The folder other paths are relative to; found from
        ``import_name`` by default.
    :param cli_group: Name of the click group the blueprint's commands appear under;
        ``None`` adds them to the application's group directly. Defaults to the
        blueprint's name.
    """

    _got_registered_once = False

    def __init__(
        self,
        name: str,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        url_prefix: str | None = None,
        subdomain: str | None = None,
        url_defaults: dict[str, t.Any] | None = None,
        root_path: str | None = None,
        cli_group: str | None = _sentinel,  # type: ignore[assignment]
    ):
        super().__init__(
            import_name=import_name,
            static_folder=static_folder,
            static_url_path=static_url_path,
            template_folder=template_folder,
            root_path=root_path,
        )

        if not name:
            raise ValueError("'name' may not be empty. Give the blueprint a name.")
        if "." in name:
            raise ValueError(
                f"'name' may not contain a dot '.' character. Got {name!r}; dots"
                " separate the names of nested blueprints in endpoints. Use an"
                " underscore instead, or nest blueprints with register_blueprint()."
            )

        self.name = name
        self.cli_group = cli_group
        self.url_prefix = url_prefix
        self.subdomain = subdomain
        self.url_values_defaults = url_defaults or {}
        #: Functions to call with a :class:`BlueprintSetupState` on each registration.
        self.deferred_functions: list[DeferredSetupFunction] = []
        # Nested blueprints with their registration options, in registration order.
        self._blueprints: list[_NestedBlueprint] = []

    def _check_setup_finished(self, f_name: str) -> None:
        if not self._got_registered_once:
            return
        raise AssertionError(
            f"The setup method '{f_name}' can no longer be called on the"
            f" blueprint '{self.name}'. It has already been registered at least once,"
            " any changes will not be applied consistently.\nSet the blueprint up"
            " completely before registering it."
        )

    @setupmethod
    def record(self, func: DeferredSetupFunction) -> None:
        """Register a function to call with a :class:`BlueprintSetupState` each time
        the blueprint is registered on an application."""
        self.deferred_functions.append(func)

    @setupmethod
    def record_once(self, func: DeferredSetupFunction) -> None:
        """Like :meth:`record`, but the function only runs on the blueprint's first
        registration on each application."""

        def once(state: BlueprintSetupState) -> None:
            if state.first_registration:
                func(state)

        self.record(update_wrapper(once, func))

    def make_setup_state(
        self, app: App, options: dict[str, t.Any], first_registration: bool = False
    ) -> BlueprintSetupState:
        """Create the :class:`BlueprintSetupState` for one registration. Override to use
        a subclass."""
        return BlueprintSetupState(self, app, options, first_registration)

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Nest another blueprint in this one.

        The nested blueprint is registered whenever this one is. Its endpoints become
        ``"<this name>.<its name>.<endpoint>"``, its URL prefix is appended to this
        one's and its subdomain prepended to this one's, and this blueprint's hooks and
        handlers also apply to its endpoints.

        :param blueprint: The blueprint to nest.
        :param options: Registration options, as for
            :meth:`Flask.register_blueprint <flask.Flask.register_blueprint>`.
        :raises ValueError: ``blueprint`` is this blueprint.
        """
        if blueprint is self:
            raise ValueError(
                f"Cannot register a blueprint on itself: '{self.name}' was passed to"
                " its own register_blueprint()."
            )
        self._blueprints.append((blueprint, options))

    def register(self, app: App, options: dict[str, t.Any]) -> None:
        """Add the blueprint's routes, hooks and handlers to an application. Called by
        :meth:`Flask.register_blueprint <flask.Flask.register_blueprint>`.

        :param app: The application.
        :param options: The registration options.
        :raises ValueError: The registration name is already taken on the application.
        """
        name_prefix = options.get("name_prefix", "")
        own_name = options.get("name", self.name)
        name = f"{name_prefix}.{own_name}".lstrip(".")

        if name in app.blueprints:
            which = "this" if app.blueprints[name] is self else "a different"
            full = f" '{name}'" if own_name != name else ""
            raise ValueError(
                f"The name '{own_name}' is already registered for {which}"
                f" blueprint{full}. Use 'name=' to provide a unique name."
            )

        first_registration = not any(bp is self for bp in app.blueprints.values())
        app.blueprints[name] = self
        # From now on the setup methods refuse to run.
        self._got_registered_once = True
        state = self.make_setup_state(app, options, first_registration)

        if self.has_static_folder:
            static_rule = f"{self.static_url_path}/<path:filename>"
            serve = self.send_static_file  # type: ignore[attr-defined]
            state.add_url_rule(static_rule, "static", serve)

        # The name is new (checked above), so this registration needs its own copies
        # of the hooks and handlers.
        self._merge_blueprint_funcs(app, name)

        for setup_func in self.deferred_functions:
            setup_func(state)

        self._register_cli(app, name, options)

        for child, child_options in self._blueprints:
            child_options = self._nested_options(state, child, child_options)
            child_options["name_prefix"] = name
            child.register(app, child_options)

    def _has_cli_commands(self) -> bool:
        return bool(self.cli.commands)

    def _register_cli(self, app: App, name: str, options: dict[str, t.Any]) -> None:
        if not self._has_cli_commands():
            return
        group = options.get("cli_group", self.cli_group)
        if group is None:
            app.cli.commands.update(self.cli.commands)
            return
        self.cli.name = name if group is _sentinel else group
        app.cli.add_command(self.cli)

    @staticmethod
    def _nested_options(
        state: BlueprintSetupState, child: Blueprint, options: dict[str, t.Any]
    ) -> dict[str, t.Any]:
        # Combine a nested blueprint's prefix and subdomain with its parent's.
        options = dict(options)

        subdomain = options.get("subdomain")
        if subdomain is None:
            subdomain = child.subdomain
        if subdomain is not None and state.subdomain is not None:
            options["subdomain"] = f"{subdomain}.{state.subdomain}"
        elif subdomain is not None or state.subdomain is not None:
            options["subdomain"] = (
                subdomain if subdomain is not None else state.subdomain
            )

        url_prefix = options.get("url_prefix")
        if url_prefix is None:
            url_prefix = child.url_prefix
        if url_prefix is not None and state.url_prefix is not None:
            options["url_prefix"] = _join_url_prefix(state.url_prefix, url_prefix)
        elif url_prefix is not None or state.url_prefix is not None:
            options["url_prefix"] = (
                url_prefix if url_prefix is not None else state.url_prefix
            )
        return options

    def _merge_blueprint_funcs(self, app: App, name: str) -> None:
        """Copy this blueprint's scoped registries into the application's, under the
        registration ``name``."""

        def scoped(key: str | None) -> str:
            return name if key is None else f"{name}.{key}"

        # Functions given to the blueprint's endpoint() decorator keep the endpoint
        # name they were given (no prefix), so they can serve any rule of the app.
        app.view_functions.update(self.view_functions)

        for key, by_code in self.error_handler_spec.items():
            app.error_handler_spec[scoped(key)] = defaultdict(
                dict, {code: dict(handlers) for code, handlers in by_code.items()}
            )

        for own, target in (
            (self.before_request_funcs, app.before_request_funcs),
            (self.after_request_funcs, app.after_request_funcs),
            (self.teardown_request_funcs, app.teardown_request_funcs),
            (self.url_default_functions, app.url_default_functions),
            (self.url_value_preprocessors, app.url_value_preprocessors),
            (self.template_context_processors, app.template_context_processors),
        ):
            for key, funcs in own.items():
                target.setdefault(scoped(key), []).extend(funcs)  # type: ignore[arg-type]

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Record a URL rule to add to each application the blueprint is registered
        on, with the blueprint's prefix and name. See :meth:`Flask.add_url_rule
        <flask.Flask.add_url_rule>`.

        :raises ValueError: The endpoint or the view function's name contains a dot.
        """
        if endpoint and "." in endpoint:
            raise ValueError(
                f"'endpoint' may not contain a dot '.' character. Got {endpoint!r};"
                " the blueprint's name is added as a prefix automatically."
            )
        if view_func and "." in getattr(view_func, "__name__", ""):
            raise ValueError(
                "'view_func' name may not contain a dot '.' character. Got"
                f" {view_func.__name__!r}; pass an 'endpoint' without dots."
            )
        self.record(
            lambda s: s.add_url_rule(
                rule,
                endpoint,
                view_func,
                provide_automatic_options=provide_automatic_options,
                **options,
            )
        )

    # Registrations on the application -------------------------------------------

    def _on_app(self, register: t.Callable[[App], None]) -> None:
        # Registers something on every application this blueprint is registered on,
        # once per application.
        self.record_once(lambda state: register(state.app))

    @setupmethod
    def app_template_filter(
        self, name: str | None = None
    ) -> t.Callable[[T_template_filter], T_template_filter]:
        """Like :meth:`Flask.template_filter <flask.Flask.template_filter>`, registered
        on the application: available in all templates."""

        return _registering_decorator(self.add_app_template_filter, name)

    @setupmethod
    def add_app_template_filter(
        self, f: ft.TemplateFilterCallable, name: str | None = None
    ) -> None:
        """Like :meth:`Flask.add_template_filter
        <flask.Flask.add_template_filter>`, registered on the application."""
        self._on_app(
            lambda app: app.jinja_env.filters.__setitem__(name or f.__name__, f)
        )

    @setupmethod
    def app_template_test(
        self, name: str | None = None
    ) -> t.Callable[[T_template_test], T_template_test]:
        """Like :meth:`Flask.template_test <flask.Flask.template_test>`, registered on
        the application."""

        return _registering_decorator(self.add_app_template_test, name)

    @setupmethod
    def add_app_template_test(
        self, f: ft.TemplateTestCallable, name: str | None = None
    ) -> None:
        """Like :meth:`Flask.add_template_test <flask.Flask.add_template_test>`,
        registered on the application."""
        self._on_app(lambda app: app.jinja_env.tests.__setitem__(name or f.__name__, f))

    @setupmethod
    def app_template_global(
        self, name: str | None = None
    ) -> t.Callable[[T_template_global], T_template_global]:
        """Like :meth:`Flask.template_global <flask.Flask.template_global>`, registered
        on the application."""

        return _registering_decorator(self.add_app_template_global, name)

    @setupmethod
    def add_app_template_global(
        self, f: ft.TemplateGlobalCallable, name: str | None = None
    ) -> None:
        """Like :meth:`Flask.add_template_global <flask.Flask.add_template_global>`,
        registered on the application."""
        self._on_app(
            lambda app: app.jinja_env.globals.__setitem__(name or f.__name__, f)
        )

    @setupmethod
    def before_app_request(self, f: T_before_request) -> T_before_request:
        """Like :meth:`before_request`, but for every request to the application."""
        self._on_app(
            lambda app: app.before_request_funcs.setdefault(None, []).append(f)
        )
        return f

    @setupmethod
    def after_app_request(self, f: T_after_request) -> T_after_request:
        """Like :meth:`after_request`, but for every request to the application."""
        self._on_app(lambda app: app.after_request_funcs.setdefault(None, []).append(f))
        return f

    @setupmethod
    def teardown_app_request(self, f: T_teardown) -> T_teardown:
        """Like :meth:`teardown_request`, but for every request to the application."""
        self._on_app(
            lambda app: app.teardown_request_funcs.setdefault(None, []).append(f)
        )
        return f

    @setupmethod
    def app_context_processor(
        self, f: T_template_context_processor
    ) -> T_template_context_processor:
        """Like :meth:`context_processor`, but for every template of the
        application."""
        self._on_app(
            lambda app: app.template_context_processors.setdefault(None, []).append(f)
        )
        return f

    @setupmethod
    def app_errorhandler(
        self, code: type[Exception] | int
    ) -> t.Callable[[T_error_handler], T_error_handler]:
        """Like :meth:`errorhandler`, but for errors in every request to the
        application."""

        def decorator(f: T_error_handler) -> T_error_handler:
            self._on_app(lambda app: app.register_error_handler(code, f))
            return f

        return decorator

    @setupmethod
    def app_url_value_preprocessor(
        self, f: T_url_value_preprocessor
    ) -> T_url_value_preprocessor:
        """Like :meth:`url_value_preprocessor`, but for every request to the
        application."""
        self._on_app(
            lambda app: app.url_value_preprocessors.setdefault(None, []).append(f)
        )
        return f

    @setupmethod
    def app_url_defaults(self, f: T_url_defaults) -> T_url_defaults:
        """Like :meth:`url_defaults`, but for every URL the application builds."""
        self._on_app(
            lambda app: app.url_default_functions.setdefault(None, []).append(f)
        )
        return f
