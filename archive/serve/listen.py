"""Run an ASGI application with uvicorn on a socket bound first (port 0 takes a free port)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import uvicorn


def listen(
    application: Any,
    host: str,
    port: int,
    *,
    lifespan: str,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve ``application`` on ``host``:``port`` until interrupted; ``ready`` gets the
    origin (``http://HOST:PORT``) once the socket listens, before the first request."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    if ready:
        ready(f"http://{shown}:{bound_port}")
    config = uvicorn.Config(application, log_level="warning", access_log=False, lifespan=lifespan)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
