"""The curation app's HTML pages (Jinja2, autoescaped) and their form actions (CSRF-checked)."""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from archive import access, browsing, conflicts, history, items, terms, todo
from archive.config import load
from archive.errors import ArchiveError
from archive.export import preview
from archive.layout import Layout
from archive.serve.publish import Publisher
from archive.serve.security import SESSION, Guard, new_session
from archive.serve.waiting import WRITE_WAIT
from archive.serve.words import LANGUAGES, NATIVE_NAMES, TEXT_LANGUAGES, language, words
from archive.templating import Environment, theme_environment
from catalog.errors import CatalogError
from catalog.models import LIST_FIELDS, SUBJECT_FIELDS

TERM_FIELDS: tuple[str, ...] = tuple(f for f in SUBJECT_FIELDS if f != "place")
TEXT_INPUTS: tuple[str, ...] = ("maker", "photographer", "event", "rights")
PAGE_SIZE = 48


def environment() -> Environment:
    """Templates of the app: everything shown is escaped unless a template says otherwise."""
    return theme_environment("archive.serve", "templates")


def routes(layout: Layout, guard: Guard, publisher: Publisher) -> list[Route]:
    env = environment()

    def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
        lang = language(request.query_params.get("lang") or request.cookies.get("lang"))
        session = request.cookies.get(SESSION) or new_session()
        page = env.get_template(name).render(
            t=words(lang),
            lang=lang,
            languages=[(code, NATIVE_NAMES[code]) for code in LANGUAGES],
            here=request.url.path,
            query=request.url.query,
            csrf=guard.csrf(session),
            **context,
        )
        answer = HTMLResponse(page, status)
        if request.cookies.get(SESSION) != session:
            answer.set_cookie(SESSION, session, httponly=True, samesite="strict")
        if request.query_params.get("lang") in LANGUAGES:
            answer.set_cookie("lang", lang, samesite="strict")
        return answer

    async def browse_page(request: Request) -> Response:
        q = request.query_params.get("q", "")
        offset = _offset(request)
        try:
            found = await run_in_threadpool(
                browsing.browse, layout, q or None, limit=PAGE_SIZE, offset=offset
            )
        except (ArchiveError, CatalogError) as exc:
            return render(request, "browse.html", 400, q=q, page=None, error=str(exc), offset=0)
        return render(
            request,
            "browse.html",
            q=q,
            page=found.to_dict(),
            error=None,
            offset=offset,
            size=PAGE_SIZE,
            fields=(*TERM_FIELDS, "collections", "keywords"),
        )

    async def item_page(request: Request) -> Response:
        try:
            detail = await run_in_threadpool(items.show_item, layout, request.path_params["key"])
        except ArchiveError as exc:
            return render(request, "error.html", 404, message=str(exc))
        data = detail.to_dict()
        vocab = await run_in_threadpool(terms.vocabularies, layout)
        lang = language(request.query_params.get("lang") or request.cookies.get("lang"))
        labels = {
            name: {s: (vocab[name].get(s).label(lang) if vocab[name].get(s) else s) for s in
                   (data.get(name) or [])}
            for name in TERM_FIELDS
        }  # fmt: skip
        place = vocab["place"].get(data["place"]) if data.get("place") else None
        kind = request.query_params.get("todo")
        following = await run_in_threadpool(_next_task, layout, kind, data["key"]) if kind else None
        return render(
            request,
            "item.html",
            item=data,
            text_languages=TEXT_LANGUAGES,
            term_fields=TERM_FIELDS,
            text_inputs=TEXT_INPUTS,
            labels=labels,
            place_label=place.label(lang) if place else (data.get("place") or ""),
            media=_media(data),
            list_fields=LIST_FIELDS,
            process_steps=[(t.slug, t.label(lang)) for t in vocab["process_step"]],
            publishing=publisher.dest is not None,
            todo_kind=kind if following is not None else None,
            todo_next=following,
        )

    async def todo_page(request: Request) -> Response:
        report = await run_in_threadpool(todo.todo, layout, None)
        return render(request, "todo.html", report=report.to_dict())

    async def conflicts_page(request: Request) -> Response:
        found = await run_in_threadpool(conflicts.listing, layout)
        return render(request, "conflicts.html", conflicts=[c.to_dict() for c in found])

    async def history_page(request: Request) -> Response:
        try:
            key, events = await run_in_threadpool(
                history.history, layout, request.path_params["key"]
            )
        except ArchiveError as exc:
            return render(request, "error.html", 404, message=str(exc))
        done = request.query_params.get("done")
        return render(
            request,
            "history.html",
            key=key,
            events=[e.to_dict() for e in reversed(events)],
            done=done,
            error=request.query_params.get("error"),
        )

    async def preview_link(request: Request) -> Response:
        key = request.path_params["key"]
        lang = language(request.query_params.get("lang") or request.cookies.get("lang"))
        if not _HEX.match(key):
            return render(request, "error.html", 404, message=f"no item has the key {key!r}")
        path = await run_in_threadpool(_site_path, layout, key, lang)
        return RedirectResponse(f"/preview/site/{path}", 303)

    async def preview_site(request: Request) -> Response:
        url = request.path_params["path"]
        page = _PAGE.match(url)
        if page is not None:
            try:
                shown = await run_in_threadpool(_preview, layout, page.group(2), page.group(1))
            except (ArchiveError, CatalogError) as exc:
                return render(request, "error.html", 404, message=str(exc))
            if shown.html is None:
                return render(request, "error.html", 200, message=shown.reason)
            return HTMLResponse(shown.html, headers={"Cache-Control": "no-store"})
        found = await run_in_threadpool(_site_file, layout, url)
        if found is None:
            return PlainTextResponse("not part of the site", 404)
        if isinstance(found, bytes):
            kind = mimetypes.guess_type(url)[0] or "application/octet-stream"
            return Response(found, media_type=kind)
        return FileResponse(found, headers={"Cache-Control": "private, max-age=60"})

    async def publish_page(request: Request) -> Response:
        return render(request, "publish.html", dest=str(publisher.dest or ""))

    async def form(request: Request) -> dict[str, str] | Response:
        body = (await request.body()).decode("utf-8", errors="replace")
        data = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
        if not guard.csrf_ok(data.get("csrf"), request.cookies.get(SESSION)):
            return PlainTextResponse("this form has no valid CSRF token; reload the page", 403)
        return data

    async def undo_action(request: Request) -> Response:
        data = await form(request)
        if isinstance(data, Response):
            return data
        key = request.path_params["key"]
        try:
            event = int(data.get("event", ""))
            await run_in_threadpool(
                history.undo, layout, event, actor=data.get("actor") or None, wait=WRITE_WAIT
            )
        except (ValueError, ArchiveError) as exc:
            return RedirectResponse(f"/items/{key}/history?error={quote(str(exc))}", 303)
        return RedirectResponse(f"/items/{key}/history?done={event}", 303)

    async def take_action(request: Request) -> Response:
        data = await form(request)
        if isinstance(data, Response):
            return data
        await run_in_threadpool(
            conflicts.resolve,
            layout,
            data.get("take", ""),
            data.get("key") or None,
            data.get("field") or None,
            actor=data.get("actor") or None,
            wait=WRITE_WAIT,
        )
        return RedirectResponse("/conflicts", 303)

    async def publish_action(request: Request) -> Response:
        data = await form(request)
        if isinstance(data, Response):
            return data
        publisher.start()
        return RedirectResponse("/publish", 303)

    return [
        Route("/", browse_page, methods=["GET"]),
        Route("/items/{key}", item_page, methods=["GET"]),
        Route("/items/{key}/history", history_page, methods=["GET"]),
        Route("/items/{key}/undo", undo_action, methods=["POST"]),
        Route("/todo", todo_page, methods=["GET"]),
        Route("/conflicts", conflicts_page, methods=["GET"]),
        Route("/conflicts/take", take_action, methods=["POST"]),
        Route("/items/{key}/preview", preview_link, methods=["GET"]),
        Route("/preview/site/{path:path}", preview_site, methods=["GET", "HEAD"]),
        Route("/publish", publish_page, methods=["GET"]),
        Route("/publish", publish_action, methods=["POST"]),
    ]


def _media(data: dict[str, Any]) -> dict[str, str | None]:
    """URLs of the picture (or poster) and of the playing video, by spec name."""
    derivatives = data.get("derivatives") or {}
    key = data["key"]

    def url(*specs: str) -> str | None:
        return next((f"/media/{key}/{s}" for s in specs if s in derivatives), None)

    return {"picture": url("display", "mid", "poster", "thumb"), "video": url("preview")}


_HEX = re.compile(r"^[0-9a-f]{1,64}$")
# An item's page on the site: the first language at the top, the others under their code.
_PAGE = re.compile(r"^(?:([a-z]{2})/)?items/([0-9a-f]{1,64})/index\.html$")


def _next_task(layout: Layout, kind: str, key: str) -> dict[str, Any] | None:
    """The next item of the To do list's group ``kind`` after item ``key`` (the first one
    when ``key`` is done or not in it), to work through the group item by item."""
    group = next((g for g in todo.todo(layout, None).groups if g.kind == kind), None)
    if group is None:
        return None
    tasks = list(group.tasks)
    keys = [t.key for t in tasks]
    after = tasks[keys.index(key) + 1 :] + tasks[: keys.index(key)] if key in keys else tasks
    nxt = next((t for t in after if t.key != key), None)
    return None if nxt is None else {**nxt.to_dict(), "left": len(tasks)}


def _site_path(layout: Layout, key: str, lang: str) -> str:
    with access.reading(layout) as catalog:
        return preview.site_path(load(layout), catalog.resolve(key).key, lang)


def _preview(layout: Layout, key: str, lang: str | None) -> preview.Preview:
    settings = load(layout)
    with access.reading(layout) as catalog:
        return preview.item_preview(
            layout, catalog, settings, key, lang or preview.site_languages(settings)[0]
        )


def _site_file(layout: Layout, url: str) -> Path | bytes | None:
    settings = load(layout)
    with access.reading(layout) as catalog:
        found = preview.site_file(layout, catalog, settings, url)
    if isinstance(found, Path):
        root = layout.root.resolve()
        path = found.resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        return path
    return found


def _offset(request: Request) -> int:
    text = request.query_params.get("offset", "0")
    return int(text) if text.isdigit() else 0
