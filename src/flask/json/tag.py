"""Tagged JSON: a compact JSON format that round-trips a few non-JSON Python types.

The signed-cookie session stores its data with :class:`TaggedJSONSerializer`. A value JSON
cannot express is written as an object with a single "tag" key, for example a tuple
``(1, 2)`` becomes ``{" t": [1, 2]}`` and bytes become ``{" b": "<base64>"}``. Tag keys
start with a space so they do not collide with ordinary keys; a real dict whose only key
happens to equal a tag is wrapped in ``" di"`` to keep it unambiguous.

The format is the one Flask uses, so cookies written by either implementation can be read
by the other.

To support another type, subclass :class:`JSONTag` and register it::

    class TagOrderedDict(JSONTag):
        __slots__ = ("serializer",)
        key = " od"

        def check(self, value):
            return isinstance(value, OrderedDict)

        def to_json(self, value):
            return [[k, self.serializer.tag(v)] for k, v in value.items()]

        def to_python(self, value):
            return OrderedDict(value)

    app.session_interface.serializer.register(TagOrderedDict, index=0)
"""

from __future__ import annotations

import typing as t
from base64 import b64decode
from base64 import b64encode
from datetime import datetime
from uuid import UUID

from markupsafe import Markup
from werkzeug.http import http_date
from werkzeug.http import parse_date

from ..json import dumps
from ..json import loads


class JSONTag:
    """One type the serializer knows how to tag.

    :attr:`check` decides whether a value is of this type, :meth:`to_json` turns it into
    JSON-compatible data, and :meth:`to_python` turns that data back. Values inside the
    converted data should be passed through ``self.serializer.tag`` so nested values get
    tagged too.

    :param serializer: The :class:`TaggedJSONSerializer` this tag belongs to.
    """

    __slots__ = ("serializer",)

    #: The key of the tag object, such as ``" t"``. An empty key means the tag only
    #: transforms values on the way out (see :class:`PassDict`) and is never looked up
    #: when loading.
    key: str = ""

    def __init__(self, serializer: TaggedJSONSerializer) -> None:
        self.serializer = serializer

    def check(self, value: t.Any) -> bool:
        """Return whether this tag handles ``value``."""
        raise NotImplementedError

    def to_json(self, value: t.Any) -> t.Any:
        """Convert ``value`` to data JSON can hold (without the tag wrapper)."""
        raise NotImplementedError

    def to_python(self, value: t.Any) -> t.Any:
        """Rebuild the Python value from the data :meth:`to_json` produced."""
        raise NotImplementedError

    def tag(self, value: t.Any) -> dict[str, t.Any]:
        """Convert ``value`` and wrap it in a one-key object naming this tag."""
        return {self.key: self.to_json(value)}


class TagDict(JSONTag):
    """A dict with a single key that is also a registered tag key.

    Without this, loading ``{" t": [1]}`` written from a real dict would produce a
    tuple. The key gets a ``__`` suffix inside the wrapper and loses it again on load.
    """

    __slots__ = ()
    key = " di"

    def check(self, value: t.Any) -> bool:
        return (
            isinstance(value, dict)
            and len(value) == 1
            and next(iter(value)) in self.serializer.tags
        )

    def to_json(self, value: t.Any) -> t.Any:
        (name,) = value
        return {f"{name}__": self.serializer.tag(value[name])}

    def to_python(self, value: t.Any) -> t.Any:
        (name,) = value
        return {name[:-2]: value[name]}


class PassDict(JSONTag):
    """Any other dict: kept as an object, with each value tagged."""

    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        return isinstance(value, dict)

    def to_json(self, value: t.Any) -> t.Any:
        tag = self.serializer.tag
        # JSON object keys are always strings, so only the values need tagging.
        return {k: tag(v) for k, v in value.items()}

    tag = to_json


class TagTuple(JSONTag):
    """A tuple, stored as a list under ``" t"``."""

    __slots__ = ()
    key = " t"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, tuple)

    def to_json(self, value: t.Any) -> t.Any:
        tag = self.serializer.tag
        return [tag(item) for item in value]

    def to_python(self, value: t.Any) -> t.Any:
        return tuple(value)


class PassList(JSONTag):
    """A list: kept as a list, with each item tagged."""

    __slots__ = ()

    def check(self, value: t.Any) -> bool:
        return isinstance(value, list)

    def to_json(self, value: t.Any) -> t.Any:
        tag = self.serializer.tag
        return [tag(item) for item in value]

    tag = to_json


class TagBytes(JSONTag):
    """Bytes, stored as base64 text under ``" b"``."""

    __slots__ = ()
    key = " b"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, bytes)

    def to_json(self, value: t.Any) -> t.Any:
        return b64encode(value).decode("ascii")

    def to_python(self, value: t.Any) -> t.Any:
        return b64decode(value)


class TagMarkup(JSONTag):
    """Anything with an ``__html__`` method, stored as that HTML under ``" m"`` and
    loaded back as :class:`~markupsafe.Markup`."""

    __slots__ = ()
    key = " m"

    def check(self, value: t.Any) -> bool:
        return callable(getattr(value, "__html__", None))

    def to_json(self, value: t.Any) -> t.Any:
        return str(value.__html__())

    def to_python(self, value: t.Any) -> t.Any:
        return Markup(value)


class TagUUID(JSONTag):
    """A :class:`~uuid.UUID`, stored as its hex string under ``" u"``."""

    __slots__ = ()
    key = " u"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, UUID)

    def to_json(self, value: t.Any) -> t.Any:
        return value.hex

    def to_python(self, value: t.Any) -> t.Any:
        return UUID(value)


class TagDateTime(JSONTag):
    """A :class:`~datetime.datetime`, stored as an HTTP date under ``" d"``.

    HTTP dates have a resolution of one second and are in UTC; the loaded value is an
    aware datetime.
    """

    __slots__ = ()
    key = " d"

    def check(self, value: t.Any) -> bool:
        return isinstance(value, datetime)

    def to_json(self, value: t.Any) -> t.Any:
        return http_date(value)

    def to_python(self, value: t.Any) -> t.Any:
        return parse_date(value)


class TaggedJSONSerializer:
    """Serializes values to tagged JSON and back.

    The built-in tags, in the order they are tried, are :class:`TagDict`,
    :class:`PassDict`, :class:`TagTuple`, :class:`PassList`, :class:`TagBytes`,
    :class:`TagMarkup`, :class:`TagUUID` and :class:`TagDateTime`.
    """

    __slots__ = ("tags", "order")

    #: The tag classes every new serializer registers, in order.
    default_tags = [
        TagDict,
        PassDict,
        TagTuple,
        PassList,
        TagBytes,
        TagMarkup,
        TagUUID,
        TagDateTime,
    ]

    def __init__(self) -> None:
        #: Tags by key, used when loading.
        self.tags: dict[str, JSONTag] = {}
        #: Tags in the order :meth:`tag` tries them.
        self.order: list[JSONTag] = []
        for tag_class in self.default_tags:
            self.register(tag_class)

    def register(
        self,
        tag_class: type[JSONTag],
        force: bool = False,
        index: int | None = None,
    ) -> None:
        """Add a tag to this serializer.

        :param tag_class: The :class:`JSONTag` subclass; it is instantiated with this
            serializer.
        :param force: Replace a tag already registered under the same key instead of
            raising.
        :param index: Where to insert the tag in the order tags are tried; the end by
            default. Put a tag before the built-ins when its type is a subclass of one
            they handle.
        :raises KeyError: Another tag already uses the key and ``force`` is false.
        """
        tag = tag_class(self)
        if tag.key:
            if tag.key in self.tags and not force:
                raise KeyError(
                    f"Tag '{tag.key}' is already registered. Pass force=True to"
                    " replace the existing tag."
                )
            self.tags[tag.key] = tag
        if index is None:
            self.order.append(tag)
        else:
            self.order.insert(index, tag)

    def tag(self, value: t.Any) -> t.Any:
        """Convert ``value`` to tagged, JSON-compatible data (the first matching tag
        wins; values no tag checks are returned unchanged)."""
        for tag in self.order:
            if tag.check(value):
                return tag.tag(value)
        return value

    def untag(self, value: dict[str, t.Any]) -> t.Any:
        """Turn a one-key tag object back into its Python value; any other dict is
        returned unchanged."""
        if len(value) != 1:
            return value
        (key,) = value
        tag = self.tags.get(key)
        if tag is None:
            return value
        return tag.to_python(value[key])

    def _untag_scan(self, value: t.Any) -> t.Any:
        # Depth first, so a tag's to_python always receives already-untagged data.
        if isinstance(value, dict):
            return self.untag({k: self._untag_scan(v) for k, v in value.items()})
        if isinstance(value, list):
            return [self._untag_scan(item) for item in value]
        return value

    def dumps(self, value: t.Any) -> str:
        """Tag ``value`` and serialize it to compact JSON."""
        return dumps(self.tag(value), separators=(",", ":"))

    def loads(self, value: str) -> t.Any:
        """Parse tagged JSON and rebuild the values its tags describe."""
        return self._untag_scan(loads(value))
