"""`archive serve`: the curation app as one Starlette application, served by uvicorn."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from archive import access
from archive.config import load
from archive.errors import ArchiveError, ConfigError
from archive.export.sync import is_safe_relative
from archive.layout import Layout
from archive.serve import api, pages
from archive.serve.listen import listen
from archive.serve.publish import Publisher
from archive.serve.security import COOKIE, Guard, Protect, is_loopback, new_token
from archive.serve.waiting import Writes
from archive.storage import StoreError
from archive.storage.derivatives import DerivativeFiles
from catalog.errors import CatalogError

STATIC = Path(__file__).parent / "static"
# The static files the pages use, by name: a request never names a path on the disk.
STATIC_FILES = {p.name: p for p in STATIC.iterdir() if p.is_file()} if STATIC.is_dir() else {}
_KEY = re.compile(r"^[0-9a-f]{1,64}$")
_SPEC = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


@dataclass(frozen=True)
class Options:
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None  # None: from archive.toml [serve] token, else a new one
    site: Path | None = None  # where the publish button writes the site
    oai: bool = False


def token_for(layout: Layout, host: str, given: str | None) -> str | None:
    """The token the app requires: none on this machine only (127.0.0.1), else the given
    one, else `[serve] token` from archive.toml, else a new random one."""
    if is_loopback(host) and given is None:
        return None
    if given:
        return given
    table = load(layout).raw.get("serve") or {}
    if not isinstance(table, dict):
        raise ConfigError("[serve] in archive.toml must be a table")
    configured = table.get("token")
    if configured is not None and (not isinstance(configured, str) or len(configured) < 16):
        raise ConfigError("[serve] token in archive.toml must be text of 16 characters or more")
    return configured or new_token()


def site_for(layout: Layout, given: Path | None) -> Path | None:
    """Where publishing writes: the given folder, else `[serve] site` in archive.toml."""
    if given is not None:
        return Path(given).absolute()
    table = load(layout).raw.get("serve") or {}
    site = table.get("site") if isinstance(table, dict) else None
    return (layout.root / str(site)).absolute() if site else None


def app(layout: Layout, options: Options = Options(), *, token: str | None = None) -> Starlette:
    """The ASGI app over the archive at ``layout``; ``token`` None needs no token."""
    layout.require()
    guard, writes = Guard(token), Writes()
    publisher = Publisher(layout, site_for(layout, options.site), writes)

    async def media(request: Request) -> Response:
        key, spec = request.path_params["key"], request.path_params["spec"]
        if not (_KEY.match(key) and _SPEC.match(spec)):
            return JSONResponse({"error": "no such file"}, 404)
        path = await run_in_threadpool(_derivative_path, layout, key, spec)
        if path is None:
            return JSONResponse({"error": "no such file"}, 404)
        return FileResponse(path, headers={"Cache-Control": "private, max-age=60"})

    async def static(request: Request) -> Response:
        path = STATIC_FILES.get(request.path_params["name"])
        if path is None:
            return JSONResponse({"error": "no such file"}, 404)
        return FileResponse(path, headers={"Cache-Control": "no-cache"})

    async def login(request: Request) -> Response:
        given = request.query_params.get("token")
        if guard.token is not None and not guard.token_ok(given):
            return JSONResponse({"error": "wrong or missing token"}, 401)
        answer = RedirectResponse("/", 303)
        if guard.token is not None:
            answer.set_cookie(COOKIE, str(given), httponly=True, samesite="strict")
        return answer

    async def publish_state(request: Request) -> Response:
        return JSONResponse(publisher.progress.to_dict(writes))

    routes = [
        *api.routes(layout, writes),
        Route("/api/publish", publish_state, methods=["GET"]),
        Route("/media/{key}/{spec}", media, methods=["GET", "HEAD"]),
        Route("/static/{name}", static, methods=["GET", "HEAD"]),
        Route("/login", login, methods=["GET"]),
        *pages.routes(layout, guard, publisher),
    ]
    if options.oai:
        from archive.serve.oai import app as oai_app

        routes.append(Mount("/", oai_app(layout)))
    application = Starlette(
        routes=routes,
        middleware=[Middleware(Protect, guard=guard)],
        exception_handlers={ArchiveError: api.errors, CatalogError: api.errors},
        lifespan=lambda _: _watching(writes),
    )
    return application


@asynccontextmanager
async def _watching(writes: Writes) -> AsyncIterator[None]:
    writes.attach()
    try:
        yield
    finally:
        writes.detach()


def _derivative_path(layout: Layout, key: str, spec: str) -> Path | None:
    """The file of derivative ``spec`` of item ``key``, as the catalogue records it, and
    only if it lies inside the archive (a bucket's derivative is fetched into the archive's
    bounded cache first)."""
    with access.reading(layout) as catalog:
        derivative = catalog.derivatives(key).get(spec)
    if derivative is None or not is_safe_relative(derivative.path):
        return None
    files = DerivativeFiles(layout)
    try:
        path = files.local(derivative.path, derivative.fingerprint).resolve()
    except StoreError:
        return None  # gone from the bucket, or the bucket cannot be reached: no picture
    if not path.is_relative_to(layout.root.resolve()) or not path.is_file():
        return None
    return path


def serve(
    layout: Layout,
    options: Options = Options(),
    *,
    ready: Callable[[str, str | None], None] | None = None,
) -> None:
    """Serve until interrupted; ``ready`` gets the URL and the token once it listens
    (port 0 takes a free port)."""
    token = token_for(layout, options.host, options.token)
    application = app(layout, options, token=token)
    shown = (lambda origin: ready(origin + "/", token)) if ready else None
    listen(application, options.host, options.port, lifespan="on", ready=shown)
