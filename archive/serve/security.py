"""Who may talk to the curation app: the token, the host, same-origin writes, CSRF for forms."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "archive_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


@dataclass(frozen=True)
class Guard:
    """The app's secrets: ``token`` (None on 127.0.0.1 without one) and the CSRF key."""

    token: str | None
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    @property
    def csrf(self) -> str:
        """The token every form of this server run carries."""
        return hmac.new(self.key, b"csrf", hashlib.sha256).hexdigest()

    def csrf_ok(self, value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(str(value), self.csrf)

    def token_ok(self, value: str | None) -> bool:
        return self.token is None or (
            bool(value) and hmac.compare_digest(str(value).encode(), self.token.encode())
        )


def new_token() -> str:
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    return host.strip("[]") in {h.strip("[]") for h in LOOPBACK}


class Protect:
    """ASGI middleware: refuses (401) a request without the token when one is required,
    (403) a request for a foreign host name on 127.0.0.1 (DNS rebinding) and a
    state-changing request whose Origin (else Referer) is not the app's own, and (415) an
    upload or a write that is neither JSON nor a form."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app, self.guard = app, guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

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
        origin = headers.get("origin") or _origin_of(headers.get("referer"))
        own = {f"{scope.get('scheme', 'http')}://{host}"}
        if origin and origin.lower() != "null" and origin in own:
            pass
        elif origin:
            return _refuse(403, f"a change from another site ({origin}) is refused", scope)
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "multipart/form-data":
            return _refuse(415, "uploads are not accepted", scope)
        if kind not in ("", "application/json", "application/x-www-form-urlencoded"):
            return _refuse(415, f"send JSON (application/json), not {kind}", scope)
        return None


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
