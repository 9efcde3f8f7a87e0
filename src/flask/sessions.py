"""Sessions: data kept for a client between requests, stored in a signed cookie by
default.

The application asks its :attr:`~flask.Flask.session_interface` to open a session at the
start of each request and to save it into the response at the end. The default,
:class:`SecureCookieSessionInterface`, keeps the whole session in a cookie signed with
``SECRET_KEY``: the client can read the data but cannot change it.
"""

from __future__ import annotations

import collections.abc as c
import hashlib
import typing as t
import zlib
from datetime import datetime
from datetime import timezone

from itsdangerous import BadData
from itsdangerous import TimestampSigner
from itsdangerous import url_safe
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.signer import HMACAlgorithm
from itsdangerous.url_safe import URLSafeSerializerMixin
from werkzeug.datastructures import CallbackDict

from . import fastpaths
from .fastpaths import BoundedCache
from .fastpaths import PerObject
from .json.tag import TaggedJSONSerializer

if t.TYPE_CHECKING:  # pragma: no cover
    from .app import Flask
    from .wrappers import Request
    from .wrappers import Response


class SessionMixin(c.MutableMapping[str, t.Any]):
    """The attributes every session object has, on top of being a mutable mapping."""

    @property
    def permanent(self) -> bool:
        """Whether the session outlives the browser session. A permanent session's
        cookie expires after :attr:`~flask.Flask.permanent_session_lifetime`; the flag
        is stored in the session under ``"_permanent"``."""
        return self.get("_permanent", False)  # type: ignore[no-any-return]

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self["_permanent"] = bool(value)

    #: Whether the session was created in this request rather than loaded. Backends
    #: that can tell set this; the default cookie session always reports ``False``.
    new = False

    #: Whether the session changed in this request. Backends that track changes set it;
    #: here it is always ``True`` so that untracked sessions are always saved. Mutating
    #: a value in place (appending to a stored list, say) is not seen by tracking
    #: backends: set this to ``True`` yourself then.
    modified = True

    #: Whether the session was read or written in this request. When it was, the
    #: response gets ``Vary: Cookie``, so caches keep responses for different sessions
    #: apart.
    accessed = False


class SecureCookieSession(CallbackDict[str, t.Any], SessionMixin):
    """The session class of the cookie session: a dict that notices writes.

    Every change sets :attr:`modified`. Every read through :data:`flask.session` sets
    :attr:`accessed`.
    """

    #: Set when the session is changed.
    modified = False

    def __init__(
        self,
        initial: c.Mapping[str, t.Any] | c.Iterable[tuple[str, t.Any]] | None = None,
    ) -> None:
        def on_update(self: c.MutableMapping[str, t.Any]) -> None:
            self.modified = True  # type: ignore[attr-defined]

        super().__init__(initial, on_update)


class NullSession(SecureCookieSession):
    """The session used when no real session can be opened, normally because
    ``SECRET_KEY`` is not set.

    It is always empty and refuses writes with a :exc:`RuntimeError` that explains how
    to fix the configuration.
    """

    def _fail(self, *args: t.Any, **kwargs: t.Any) -> t.NoReturn:
        """Refuse to change the session: raise a :exc:`RuntimeError` that says to set a
        secret key."""
        raise RuntimeError(
            "The session is unavailable because no secret key was set.  Set the"
            " secret_key on the application to something unique and secret."
        )

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail  # noqa: E501
    del _fail


class SessionInterface:
    """The interface between an application and a session backend.

    Subclass it and implement :meth:`open_session` and :meth:`save_session` to store
    sessions elsewhere, then assign an instance to :attr:`Flask.session_interface
    <flask.Flask.session_interface>`::

        app = Flask(__name__)
        app.session_interface = MySessionInterface()

    The other methods read cookie settings from the application's config; override them
    to change how the session cookie is set. A session interface is shared by every
    request, so it must not store per-request state on itself.
    """

    #: The class :meth:`make_null_session` instantiates.
    null_session_class = NullSession

    #: Set by pickle-based interfaces, so extensions can choose what to store.
    pickle_based = False

    def make_null_session(self, app: Flask) -> NullSession:
        """Return the session used when :meth:`open_session` returns ``None``: an
        instance of :attr:`null_session_class`, which refuses writes with a message
        about the configuration."""
        return self.null_session_class()

    def is_null_session(self, obj: object) -> bool:
        """Return whether ``obj`` is a null session, which is never saved."""
        return isinstance(obj, self.null_session_class)

    def get_cookie_name(self, app: Flask) -> str:
        """The session cookie's name: ``SESSION_COOKIE_NAME``."""
        return app.config["SESSION_COOKIE_NAME"]  # type: ignore[no-any-return]

    def get_cookie_domain(self, app: Flask) -> str | None:
        """The session cookie's ``Domain``: ``SESSION_COOKIE_DOMAIN``, or ``None`` for
        a cookie that only the exact host receives."""
        return app.config["SESSION_COOKIE_DOMAIN"]  # type: ignore[no-any-return]

    def get_cookie_path(self, app: Flask) -> str:
        """The session cookie's ``Path``: ``SESSION_COOKIE_PATH``, else
        ``APPLICATION_ROOT``."""
        return app.config["SESSION_COOKIE_PATH"] or app.config["APPLICATION_ROOT"]  # type: ignore[no-any-return]

    def get_cookie_httponly(self, app: Flask) -> bool:
        """Whether the cookie is hidden from JavaScript: ``SESSION_COOKIE_HTTPONLY``."""
        return app.config["SESSION_COOKIE_HTTPONLY"]  # type: ignore[no-any-return]

    def get_cookie_secure(self, app: Flask) -> bool:
        """Whether the cookie is only sent over HTTPS: ``SESSION_COOKIE_SECURE``."""
        return app.config["SESSION_COOKIE_SECURE"]  # type: ignore[no-any-return]

    def get_cookie_samesite(self, app: Flask) -> str | None:
        """The cookie's ``SameSite`` value: ``SESSION_COOKIE_SAMESITE``."""
        return app.config["SESSION_COOKIE_SAMESITE"]  # type: ignore[no-any-return]

    def get_cookie_partitioned(self, app: Flask) -> bool:
        """Whether the cookie is partitioned (CHIPS): ``SESSION_COOKIE_PARTITIONED``."""
        return app.config["SESSION_COOKIE_PARTITIONED"]  # type: ignore[no-any-return]

    def get_expiration_time(self, app: Flask, session: SessionMixin) -> datetime | None:
        """When the cookie expires: now plus
        :attr:`~flask.Flask.permanent_session_lifetime` for a permanent session, or
        ``None`` (when the browser closes) otherwise."""
        if session.permanent:
            return datetime.now(timezone.utc) + app.permanent_session_lifetime
        return None

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """Whether :meth:`save_session` should send the cookie: when the session was
        modified, or when it is permanent and ``SESSION_REFRESH_EACH_REQUEST`` is on
        (which renews its expiry on every request)."""
        if session.modified:
            return True
        return session.permanent and bool(app.config["SESSION_REFRESH_EACH_REQUEST"])

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        """Load the session for a request, at the start of the request.

        Return ``None`` when no session can be provided; the request then gets a null
        session from :meth:`make_null_session`. The request context is active when this
        is called.
        """
        raise NotImplementedError()

    def save_session(
        self,
        app: Flask,
        session: SessionMixin,
        response: Response,
    ) -> None:
        """Store the session, usually by setting a cookie on ``response``. Called at the
        end of each request unless the session is a null session."""
        raise NotImplementedError()


#: The serializer the cookie session uses by default.
session_json_serializer = TaggedJSONSerializer()


def _lazy_sha1(string: bytes = b"") -> t.Any:
    # A function instead of hashlib.sha1 itself, so that importing this module does not
    # fail on systems where SHA-1 is disabled until a session is actually signed.
    return hashlib.sha1(string)


class _KeyCachingSigner(TimestampSigner):
    """itsdangerous' timestamp signer, remembering derived keys: deriving one is an
    HMAC computation, repeated for every cookie read and written otherwise."""

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        if secret_key is None:
            secret_key = self.secret_keys[-1]
        # The signer's salt, derivation and digest are fixed, so the secret key alone
        # determines the derived key.
        derived_keys: dict[str | bytes, bytes] = self.__dict__.setdefault(
            "_derived_keys", {}
        )
        derived = derived_keys.get(secret_key)
        if derived is None:
            derived = derived_keys[secret_key] = super().derive_key(secret_key)
        return derived


class _PreparedSha1(HMACAlgorithm):
    """HMAC-SHA1 continued from hash states prepared once per key.

    An HMAC hashes the key, padded and masked two ways, before the message. Those
    two SHA-1 states depend on the key alone, so they are computed the first time a
    key signs and copied for every signature after; the signature is the one
    ``hmac.new(key, value, hashlib.sha1)`` computes. The serializer's signers only
    sign with the keys they derive from its secret keys and salt, so the pairs kept
    are as few as those keys.
    """

    def __init__(self, digest_method: t.Any = None) -> None:
        super().__init__(digest_method)
        self._states: dict[bytes, tuple[t.Any, t.Any]] = {}

    def get_signature(self, key: bytes, value: bytes) -> bytes:
        states = self._states.get(key)
        if states is None:
            states = self._states[key] = _hmac_states(key)
        inner, outer = states[0].copy(), states[1].copy()
        inner.update(value)
        outer.update(inner.digest())
        return outer.digest()  # type: ignore[no-any-return]


def _hmac_states(key: bytes) -> tuple[t.Any, t.Any]:
    # RFC 2104: a key longer than the hash's block is hashed first, then padded with
    # zeros to the block size; the inner hash starts with it masked by 0x36, the
    # outer one with it masked by 0x5C.
    block_size = hashlib.sha1().block_size
    if len(key) > block_size:
        key = hashlib.sha1(key).digest()
    key = key.ljust(block_size, b"\0")
    inner = hashlib.sha1(bytes(byte ^ 0x36 for byte in key))
    outer = hashlib.sha1(bytes(byte ^ 0x5C for byte in key))
    return inner, outer


class _SessionSerializer(URLSafeTimedSerializer):
    """itsdangerous' URL-safe timed serializer, keeping the signer it makes for each
    salt (signers hold no state between calls, so one per salt serves every
    ``loads`` and ``dumps``) and not compressing payloads too short to gain from it."""

    def make_signer(self, salt: str | bytes | None = None) -> t.Any:
        signers = self.__dict__.setdefault("_signers", {})
        signer = signers.get(salt)
        if signer is None:
            signer = signers[salt] = super().make_signer(salt)
        return signer

    def dump_payload(self, obj: t.Any) -> bytes:
        if not fastpaths.compression_is_replaceable():  # PERF: session
            return super().dump_payload(obj)
        # What itsdangerous' URL-safe mixin does, without compressing a payload
        # that compression cannot shorten: the serializer's bytes, compressed only
        # when that makes them at least two bytes shorter (a leading "." says so).
        # The encoder is looked up in itsdangerous' module, where a patch of it acts.
        encode = url_safe.base64_encode  # type: ignore[attr-defined]
        payload = super(URLSafeSerializerMixin, self).dump_payload(obj)
        if not fastpaths.cannot_shrink(payload):
            compressed = zlib.compress(payload)
            if len(compressed) < len(payload) - 1:
                return b"." + encode(compressed)
        return encode(payload)


# The serializers of each session interface, by configuration: a pure function of
# it. Held per interface, weakly, so that nothing outlives the interface.
_serializers: PerObject[BoundedCache[t.Hashable, URLSafeTimedSerializer]] = PerObject(
    lambda interface: BoundedCache(16)
)


class SecureCookieSessionInterface(SessionInterface):
    """Stores the session in a cookie signed with itsdangerous.

    The cookie holds the session serialized as tagged JSON, a timestamp, and an HMAC
    signature made from ``SECRET_KEY``. Keys in ``SECRET_KEY_FALLBACKS`` are still
    accepted for reading, so a key can be rotated without logging everyone out. A
    cookie with a bad signature, an unreadable payload, or older than
    ``PERMANENT_SESSION_LIFETIME`` gives an empty session.
    """

    #: Salt mixed into the signing key, so signatures from other uses of the same
    #: secret key are not valid session cookies.
    salt = "cookie-session"
    #: The hash function of the signature.
    digest_method = staticmethod(_lazy_sha1)
    #: How the signing key is derived from the secret key.
    key_derivation = "hmac"
    #: Serializes the session data to text.
    serializer = session_json_serializer
    #: The class of loaded sessions.
    session_class = SecureCookieSession

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Return the serializer that signs and verifies cookies for ``app``, or
        ``None`` when the application has no secret key."""
        secret = app.secret_key
        if not secret:
            return None
        fallbacks = app.config["SECRET_KEY_FALLBACKS"]
        cache_key: t.Hashable = None
        # URLSafeTimedSerializer as this module's name for it, which mocks replace.
        kept = fastpaths.signing_is_replaceable(URLSafeTimedSerializer)
        if kept:
            # PERF: session. Serializers are stateless, so one is kept per
            # configuration instead of being built twice per request. The secret key
            # and the interface's settings come first, the fallbacks after them.
            cache = _serializers(self)
            try:
                cache_key = (
                    secret,
                    self.salt,
                    self.digest_method,
                    self.key_derivation,
                    self.serializer,
                    *(fallbacks or ()),
                )
                cached = cache.get(cache_key)
            except TypeError:  # Something unhashable in the configuration.
                cache_key = cached = None
            if cached is not None:
                return cached
        # itsdangerous signs with the newest key, which it expects last, and verifies
        # with every key, so the fallbacks keep old cookies readable.
        keys = [*(fallbacks or ()), secret]
        signer_options: dict[str, t.Any] = dict(
            key_derivation=self.key_derivation, digest_method=self.digest_method
        )
        if not kept:
            return URLSafeTimedSerializer(
                keys,
                salt=self.salt,
                serializer=self.serializer,
                signer_kwargs=signer_options,
            )
        if self.digest_method is _lazy_sha1:
            signer_options["algorithm"] = _PreparedSha1(_lazy_sha1)
        serializer = _SessionSerializer(
            keys,
            salt=self.salt,
            serializer=self.serializer,
            signer=_KeyCachingSigner,
            signer_kwargs=signer_options,
        )
        if cache_key is not None:
            _serializers(self).put(cache_key, serializer)
        return serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        signer = self.get_signing_serializer(app)
        if signer is None:
            return None
        payload = None
        raw = fastpaths.request_cookies(request).get(
            self.get_cookie_name(app)
        )  # PERF: session
        if raw:
            lifetime = app.permanent_session_lifetime
            try:
                payload = signer.loads(raw, max_age=int(lifetime.total_seconds()))
            except (BadData, ValueError, OverflowError, OSError):
                # Tampered, expired, truncated or undecodable: start a fresh session.
                # The others come from a signed timestamp too far in the future to be a
                # date, which itsdangerous only checks when the signature is bad.
                pass
        # No cookie, a rejected cookie and a payload that is not an object all give an
        # empty session.
        make = self.session_class
        return make(payload) if isinstance(payload, dict) else make()

    def save_session(
        self,
        app: Flask,
        session: SessionMixin,
        response: Response,
    ) -> None:
        # A response built from the session must not be cached for other clients.
        if session.accessed:
            response.vary.add("Cookie")
        name = self.get_cookie_name(app)
        # The cookie's attributes, the same for setting and deleting it.
        attributes: dict[str, t.Any] = dict(
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            partitioned=self.get_cookie_partitioned(app),
            samesite=self.get_cookie_samesite(app),
            httponly=self.get_cookie_httponly(app),
        )

        if not session:
            # Emptied during this request: tell the browser to drop the cookie. Empty
            # before and after the request: there is no cookie to touch.
            if session.modified:
                response.delete_cookie(name, **attributes)
                if not session.accessed:
                    response.vary.add("Cookie")
            return
        if not self.should_set_cookie(app, session):
            return
        expires = self.get_expiration_time(app, session)
        signer = self.get_signing_serializer(app)
        value = signer.dumps(dict(session))  # type: ignore[union-attr]
        response.set_cookie(name, value, expires=expires, **attributes)
        if not session.accessed:
            response.vary.add("Cookie")


fastpaths.SESSION.capture(SecureCookieSessionInterface)
