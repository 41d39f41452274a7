"""Who may talk to the curation app: the token, the host, same-origin writes, CSRF for forms."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "archive_token"
SESSION = "archive_session"  # a random name per browser: the CSRF token is bound to it
MAX_BODY = 1 << 20  # bytes: a change is a few fields; nothing bigger is accepted (413)
# Every answer: no inline script, no framing, no sniffing, no referrer to other sites (the
# login URL carries the token; "no-referrer" would make Chromium send "Origin: null" on
# the app's own forms).
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        b"frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


@dataclass(frozen=True)
class Guard:
    """The app's secrets: ``token`` (None on 127.0.0.1 without one) and the CSRF key."""

    token: str | None
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def csrf(self, session: str) -> str:
        """The token the forms of browser ``session`` carry in this server run."""
        return hmac.new(self.key, b"csrf:" + session.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, value: str | None, session: str | None) -> bool:
        """Whether ``value`` is the CSRF token of ``session`` (compared in constant time)."""
        if not value or not session:
            return False
        return hmac.compare_digest(str(value).encode(), self.csrf(session).encode())

    def token_ok(self, value: str | None) -> bool:
        return self.token is None or (
            bool(value) and hmac.compare_digest(str(value).encode(), self.token.encode())
        )


def new_session() -> str:
    return secrets.token_urlsafe(18)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    return host.strip("[]") in {h.strip("[]") for h in LOOPBACK}


class Protect:
    """ASGI middleware: refuses (401) a request without the token when one is required,
    (403) a request for a foreign host name on 127.0.0.1 (DNS rebinding), a
    state-changing request whose Origin (else Referer) is not the app's own, and one with
    neither that is not JSON (a browser sends JSON to another site only after asking,
    which this app never grants) nor carries the token in its Authorization header, (413)
    a body over MAX_BODY and (415) an upload or a write that is neither JSON nor a form.
    Every answer carries HEADERS."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app, self.guard = app, guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                known = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in known]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        refusal = self.refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        seen = 0

        async def receive_limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > MAX_BODY:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, receive_limited, send_with_headers)
        except _TooLarge:
            await _refuse(413, f"a request body over {MAX_BODY} bytes is refused", scope)(
                scope, receive, send_with_headers
            )

    def refusal(self, scope: Scope) -> Response | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if self.guard.token is None and not is_loopback(urlsplit(f"//{host}").hostname or ""):
            return _refuse(403, f"this app answers on 127.0.0.1 only, not as {host!r}", scope)
        if scope["path"] != "/login" and not self.guard.token_ok(_token(headers)):
            return _refuse(
                401, "a token is needed: open the address `archive serve` printed", scope
            )
        if scope["method"] in SAFE_METHODS:
            return None
        length = headers.get("content-length", "0").strip()
        if not length.isdigit() or int(length) > MAX_BODY:
            return _refuse(413, f"a request body over {MAX_BODY} bytes is refused", scope)
        origin = headers.get("origin") or _origin_of(headers.get("referer"))
        own = {f"{scope.get('scheme', 'http')}://{host}"}
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if origin and origin.lower() != "null" and origin in own:
            pass
        elif origin:
            return _refuse(403, f"a change from another site ({origin}) is refused", scope)
        if kind == "multipart/form-data":
            return _refuse(415, "uploads are not accepted", scope)
        if kind not in ("", "application/json", "application/x-www-form-urlencoded"):
            return _refuse(415, f"send JSON (application/json), not {kind}", scope)
        if not origin and kind != "application/json" and not headers.get("authorization"):
            return _refuse(
                403,
                "a change with neither Origin nor Referer must be JSON "
                "(Content-Type: application/json) or carry the token",
                scope,
            )
        return None


class _TooLarge(Exception):
    """A body grew past MAX_BODY while it was read."""


def _token(headers: dict[str, str]) -> str | None:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie header is no token
        return None
    morsel = cookie.get(COOKIE)
    return morsel.value if morsel else None


def _origin_of(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "null"


def _refuse(status: int, message: str, scope: Scope | None = None) -> Response:
    if scope is not None and not scope["path"].startswith("/api/"):
        return PlainTextResponse(message, status)
    return JSONResponse({"error": message}, status)
