"""`archive oai`: the OAI-PMH endpoint as a Starlette app, served by uvicorn."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from archive import oai
from archive.layout import Layout
from archive.serve.listen import listen

PATH = "/oai"


def app(layout: Layout, *, page_size: int = oai.PAGE_SIZE) -> Starlette:
    """An ASGI app answering OAI-PMH at /oai, by GET or by POST (a urlencoded form)."""
    layout.require()

    async def endpoint(request: Request) -> Response:
        if request.method == "POST":
            body = (await request.body()).decode("utf-8", errors="replace")
            params = parse_qs(body, keep_blank_values=True)
        else:
            params = parse_qs(request.url.query, keep_blank_values=True)
        base = str(request.url.replace(query=""))
        # Reading the catalogue blocks: off the event loop.
        answer = await run_in_threadpool(
            oai.respond, layout, params, base_url=base, page_size=page_size
        )
        return Response(answer.body, answer.status, media_type="text/xml; charset=utf-8")

    return Starlette(routes=[Route(PATH, endpoint, methods=["GET", "POST"])])


def serve(
    layout: Layout,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    page_size: int = oai.PAGE_SIZE,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted; ``ready`` gets the endpoint's URL once it listens
    (port 0 takes a free port)."""
    application = app(layout, page_size=page_size)
    shown = (lambda origin: ready(origin + PATH)) if ready else None
    listen(application, host, port, lifespan="off", ready=shown)
