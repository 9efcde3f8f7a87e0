"""The :class:`Blueprint` class applications use, with static files, resources and
CLI commands on top of the registration logic in :mod:`flask.sansio.blueprints`."""

from __future__ import annotations

import os
import typing as t
from functools import cached_property

from .globals import current_app as current_app
from .helpers import _make_cli_group
from .helpers import _open_resource
from .helpers import _send_file_max_age
from .helpers import _send_static_file
from .helpers import send_from_directory as send_from_directory
from .sansio.blueprints import Blueprint as SansioBlueprint
from .sansio.blueprints import BlueprintSetupState as BlueprintSetupState
from .sansio.scaffold import _sentinel

if t.TYPE_CHECKING:  # pragma: no cover
    from click import Group

    from .wrappers import Response


class Blueprint(SansioBlueprint):
    __doc__ = SansioBlueprint.__doc__

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
    ) -> None:
        super().__init__(
            name,
            import_name,
            static_folder,
            static_url_path,
            template_folder,
            url_prefix,
            subdomain,
            url_defaults,
            root_path,
            cli_group,
        )

        # The name the ``cli`` group gets when it is created.
        self._cli_name = self.name

    @cached_property
    def cli(self) -> Group:  # type: ignore[override]
        """The click group of the blueprint's commands, added to the application's
        ``flask`` command on registration (see ``cli_group``). Created on first
        use."""
        return _make_cli_group(self._cli_name)

    def _has_cli_commands(self) -> bool:
        # A group that was never created has no commands; checking it would import
        # click.
        if "cli" not in self.__dict__ and type(self).cli is Blueprint.cli:
            return False
        return bool(self.cli.commands)

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """The ``max_age`` for files this blueprint sends: by default the current
        application's ``SEND_FILE_MAX_AGE_DEFAULT``. Override to choose per file.

        :param filename: The name of the file being sent, if known.
        """
        return _send_file_max_age(current_app.config["SEND_FILE_MAX_AGE_DEFAULT"])

    def send_static_file(self, filename: str) -> Response:
        """The view of the blueprint's ``static`` route: send a file from its
        :attr:`static_folder`.

        :param filename: The file's path inside the static folder.
        """
        return _send_static_file(self, filename)

    def open_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = "utf-8"
    ) -> t.IO[t.AnyStr]:
        """Open a file relative to the blueprint's :attr:`root_path` for reading.

        :param resource: Path of the file, relative to the root path.
        :param mode: ``"rb"``, ``"r"`` or ``"rt"``; only reading is allowed.
        :param encoding: Text encoding, for text modes.
        :raises ValueError: ``mode`` is not a read mode.
        """
        return _open_resource(self.root_path, resource, mode, encoding)


def __getattr__(name: str) -> t.Any:
    # ``flask.blueprints.AppGroup`` is imported on first use, so that ``import flask``
    # does not load click.
    if name == "AppGroup":
        from .cli import AppGroup

        return AppGroup
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
