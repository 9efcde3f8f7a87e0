"""Application configuration: a dict with loaders for files, objects and the environment."""

from __future__ import annotations

import errno
import json
import os
import types
import typing as t

from werkzeug.utils import import_string

from .fastpaths import config_changed

if t.TYPE_CHECKING:  # pragma: no cover
    from .sansio.app import App

T = t.TypeVar("T")

# OS errors that mean "there is no such file": a silent loader shrugs these off.
_MISSING_FILE_ERRNOS = frozenset((errno.ENOENT, errno.EISDIR, errno.ENOTDIR))


class ConfigAttribute(t.Generic[T]):
    """A class attribute that reads and writes one key of ``app.config``.

    ``Flask.testing = ConfigAttribute("TESTING")`` makes ``app.testing`` a shortcut for
    ``app.config["TESTING"]``.

    :param name: The config key to forward to.
    :param get_converter: Called on the stored value when it is read, for example to turn
        an integer number of seconds into a :class:`~datetime.timedelta`.
    """

    def __init__(
        self,
        name: str,
        get_converter: t.Callable[[t.Any], T] | None = None,
    ) -> None:
        self.__name__ = name
        self.get_converter = get_converter

    @t.overload
    def __get__(self, obj: None, owner: None) -> ConfigAttribute[T]: ...

    @t.overload
    def __get__(self, obj: App, owner: type[App]) -> T: ...

    def __get__(self, obj: App | None, owner: type[App] | None = None) -> t.Any:
        if obj is None:
            return self
        stored = obj.config[self.__name__]
        convert = self.get_converter
        return stored if convert is None else convert(stored)

    def __set__(self, obj: App, value: t.Any) -> None:
        obj.config[self.__name__] = value


class Config(dict[str, t.Any]):
    """The application's settings: a plain :class:`dict` plus ways to fill it.

    Only UPPERCASE keys are taken by the loaders, so a config file can use lowercase names
    for its own temporary values. Relative file names are resolved against
    :attr:`root_path`, which the application sets to its root path, or to its instance
    folder when created with ``instance_relative_config=True``.

    :param root_path: Folder that relative file names are relative to.
    :param defaults: Initial values.
    """

    # Writes are reported to flask.fastpaths, so that plans built from this config are
    # rebuilt after a change. Reading is plain dict access.
    _reports_writes = True
    # Changed by every write; see flask.fastpaths.config_changed.
    _writes = 0

    def __init__(
        self,
        root_path: str | os.PathLike[str],
        defaults: dict[str, t.Any] | None = None,
    ) -> None:
        super().__init__(defaults or {})
        self.root_path = root_path

    def __setitem__(self, key: str, value: t.Any) -> None:
        super().__setitem__(key, value)
        config_changed(self)

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        config_changed(self)

    def __ior__(self, other: t.Any) -> Config:  # type: ignore[misc,override]
        super().__ior__(other)
        config_changed(self)
        return self

    def update(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().update(*args, **kwargs)
        config_changed(self)

    def setdefault(self, key: str, default: t.Any = None) -> t.Any:
        value = super().setdefault(key, default)
        config_changed(self)
        return value

    def pop(self, key: str, *default: t.Any) -> t.Any:
        value = super().pop(key, *default)
        config_changed(self)
        return value

    def popitem(self) -> tuple[str, t.Any]:
        item = super().popitem()
        config_changed(self)
        return item

    def clear(self) -> None:
        super().clear()
        config_changed(self)

    def from_envvar(self, variable_name: str, silent: bool = False) -> bool:
        """Load the Python config file whose path is in an environment variable.

        :param variable_name: Name of the environment variable holding the path.
        :param silent: Return ``False`` instead of raising when the variable is unset or the
            file is missing.
        :return: ``True`` when a file was loaded.
        :raises RuntimeError: The variable is not set and ``silent`` is false.
        """
        path = os.environ.get(variable_name)
        if not path:
            if silent:
                return False
            raise RuntimeError(
                f"The environment variable {variable_name!r} is not set and as such"
                " configuration could not be loaded. Set it to the path of a"
                " configuration file, or pass silent=True to ignore a missing variable."
            )
        return self.from_pyfile(path, silent=silent)

    def from_prefixed_env(
        self, prefix: str = "FLASK", *, loads: t.Callable[[str], t.Any] = json.loads
    ) -> bool:
        """Load every environment variable that starts with ``{prefix}_``.

        The prefix is stripped to form the key. Values are parsed with ``loads`` so that
        ``FLASK_DEBUG=true`` gives a bool and ``FLASK_PORT=8000`` an int; a value ``loads``
        rejects stays a string. A double underscore descends into nested dicts:
        ``FLASK_DB__HOST`` sets ``config["DB"]["HOST"]``, creating the dict if needed.
        Variables are applied in sorted order.

        :param prefix: The prefix, without the trailing underscore.
        :param loads: Parses each value.
        :return: Always ``True``.
        """
        start = f"{prefix}_"
        for name in sorted(os.environ):
            if not name.startswith(start):
                continue
            raw = os.environ[name]
            try:
                value = loads(raw)
            except Exception:
                value = raw
            *parents, last = name[len(start) :].split("__")
            target: dict[str, t.Any] = self
            for part in parents:
                target = target.setdefault(part, {})
            target[last] = value
        return True

    def from_pyfile(
        self, filename: str | os.PathLike[str], silent: bool = False
    ) -> bool:
        """Execute a Python file and load its UPPERCASE names, like :meth:`from_object`.

        :param filename: Path of the file, absolute or relative to :attr:`root_path`.
        :param silent: Return ``False`` instead of raising when the file does not exist.
        :return: ``True`` when the file was loaded.
        """
        path = os.path.join(self.root_path, filename)
        module = types.ModuleType("config")
        module.__file__ = path
        try:
            with open(path, mode="rb") as f:
                code = compile(f.read(), path, "exec")
        except OSError as e:
            if silent and e.errno in _MISSING_FILE_ERRNOS:
                return False
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise
        exec(code, module.__dict__)
        self.from_object(module)
        return True

    def from_object(self, obj: object | str) -> None:
        """Copy the UPPERCASE attributes of an object, class or module into the config.

        :param obj: The object, or an import string such as ``"myapp.settings.Prod"``
            that names one.
        """
        if isinstance(obj, str):
            obj = import_string(obj)
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)

    def from_file(
        self,
        filename: str | os.PathLike[str],
        load: t.Callable[[t.IO[t.Any]], t.Mapping[str, t.Any]],
        silent: bool = False,
        text: bool = True,
    ) -> bool:
        """Load a data file (JSON, TOML, ...) through a loader function.

        ``app.config.from_file("config.json", load=json.load)`` or
        ``app.config.from_file("config.toml", load=tomllib.load, text=False)``.

        :param filename: Path of the file, absolute or relative to :attr:`root_path`.
        :param load: Takes the open file and returns a mapping.
        :param silent: Return ``False`` instead of raising when the file does not exist.
        :param text: Open the file in text mode; pass ``False`` for binary loaders.
        :return: ``True`` when the file was loaded.
        """
        path = os.path.join(self.root_path, filename)
        try:
            with open(path, "r" if text else "rb") as f:
                data = load(f)
        except OSError as e:
            if silent and e.errno in _MISSING_FILE_ERRNOS:
                return False
            e.strerror = f"Unable to load configuration file ({e.strerror})"
            raise
        return self.from_mapping(data)

    def from_mapping(
        self, mapping: t.Mapping[str, t.Any] | None = None, **kwargs: t.Any
    ) -> bool:
        """Copy the UPPERCASE keys of a mapping and of the keyword arguments.

        :return: Always ``True``.
        """
        items: dict[str, t.Any] = {}
        if mapping is not None:
            items.update(mapping)
        items.update(kwargs)
        for key, value in items.items():
            if key.isupper():
                self[key] = value
        return True

    def get_namespace(
        self, namespace: str, lowercase: bool = True, trim_namespace: bool = True
    ) -> dict[str, t.Any]:
        """Collect the keys that start with a prefix into a new dict.

        With ``IMAGE_STORE_TYPE`` and ``IMAGE_STORE_PATH`` set,
        ``get_namespace("IMAGE_STORE_")`` returns ``{"type": ..., "path": ...}``, ready
        to pass as keyword arguments.

        :param namespace: The prefix to select.
        :param lowercase: Lowercase the resulting keys.
        :param trim_namespace: Remove the prefix from the resulting keys.
        """
        found: dict[str, t.Any] = {}
        for key, value in self.items():
            if not key.startswith(namespace):
                continue
            if trim_namespace:
                key = key[len(namespace) :]
            if lowercase:
                key = key.lower()
            found[key] = value
        return found

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {dict.__repr__(self)}>"
