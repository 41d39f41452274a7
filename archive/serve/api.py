"""The curation app's JSON API under /api/: items, edits with versions, to do, history."""

from __future__ import annotations

import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from archive import browsing, chapters, conflicts, edit, history, items, terms, todo
from archive.errors import ArchiveBusy, ArchiveError, StaleVersion, UsageProblem
from archive.layout import Layout
from archive.serve.waiting import WRITE_WAIT, Writes
from catalog.chapters import format_time
from catalog.errors import CatalogError, QueryError, UnknownKey

VIA = "serve"  # how the app's edits are recorded in history ("via": "serve")


def routes(layout: Layout, writes: Writes) -> list[Route]:
    """The API's routes over the archive at ``layout``."""

    async def call(function: Any, *args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(function, *args, **kwargs)

    async def write(function: Any, *args: Any, **kwargs: Any) -> Any:
        def run() -> Any:
            with writes.write():
                return function(*args, wait=WRITE_WAIT, **kwargs)

        return await run_in_threadpool(run)

    async def list_items(request: Request) -> Response:
        q = request.query_params.get("q") or None
        limit, offset = _number(request, "limit", 60), _number(request, "offset", 0)
        facets = request.query_params.get("facets", "") in ("1", "true", "yes")
        page = await call(browsing.browse, layout, q, limit=limit, offset=offset, facets=facets)
        return JSONResponse(page.to_dict())

    async def get_item(request: Request) -> Response:
        detail = (await call(items.show_item, layout, request.path_params["key"])).to_dict()
        return _item_response(detail)

    async def patch_item(request: Request) -> Response:
        key = request.path_params["key"]
        expected = _if_match(request)
        if expected is None:
            return _error(428, "send If-Match: VERSION (the item's ETag) with a change")
        body = await _json(request)
        actor = _actor(request, body)
        try:
            await write(
                edit.edit_fields,
                layout,
                [key],
                body,
                expected_version=None if expected == "*" else expected,
                actor=actor,
                via=VIA,
            )
        except StaleVersion as exc:
            current = (await call(items.show_item, layout, key)).to_dict()
            return _item_response(current, status=409, error=str(exc))
        return _item_response((await call(items.show_item, layout, key)).to_dict())

    async def bulk(request: Request) -> Response:
        body = await _json(request)
        keys = body.pop("keys", None)
        actor = _actor(request, body)
        if not isinstance(keys, list) or not keys:
            return _error(400, "give the items to change as a list: keys")
        report = await write(edit.edit_fields, layout, keys, body, actor=actor, via=VIA)
        return JSONResponse(report.to_dict())

    async def item_history(request: Request) -> Response:
        key, events = await call(history.history, layout, request.path_params["key"])
        return JSONResponse({"key": key, "events": [e.to_dict() for e in events]})

    async def undo(request: Request) -> Response:
        body = await _json(request, empty_ok=True)
        try:
            event = int(request.path_params["event"])
        except ValueError:
            return _error(400, f"{request.path_params['event']!r} is not an event number")
        done = await write(history.undo, layout, event, actor=_actor(request, body))
        return JSONResponse(done.to_dict())

    async def todo_list(request: Request) -> Response:
        report = await call(todo.todo, layout, request.query_params.get("q") or None)
        return JSONResponse(report.to_dict())

    async def suggest(request: Request) -> Response:
        found = await call(
            terms.suggest_terms,
            layout,
            request.path_params["vocabulary"],
            request.query_params.get("q", ""),
        )
        return JSONResponse({"terms": [t.to_dict() for t in found]})

    async def conflict_list(request: Request) -> Response:
        found = await call(conflicts.listing, layout, request.query_params.get("key") or None)
        return JSONResponse({"conflicts": [c.to_dict() for c in found]})

    async def conflict_take(request: Request) -> Response:
        body = await _json(request)
        report = await write(
            conflicts.resolve,
            layout,
            str(body.get("take", "")),
            str(body.get("key", "")) or None,
            str(body.get("field", "")) or None,
            actor=_actor(request, body),
        )
        return JSONResponse(report.to_dict())

    async def change_chapters(request: Request) -> Response:
        body = await _json(request)
        adds = []
        for chapter in body.get("add") or []:
            try:
                span = (
                    f"{format_time(float(chapter['start']))}-{format_time(float(chapter['end']))}"
                )
            except (KeyError, TypeError, ValueError):
                return _error(400, f"a chapter needs a start and an end in seconds: {chapter!r}")
            adds.append(
                (span, str(chapter.get("process_step") or ""), str(chapter.get("caption") or ""))
            )
        remove = [int(n) for n in body.get("remove") or [] if str(n).isdigit()]
        item = await write(
            chapters.change_chapters,
            layout,
            request.path_params["key"],
            add=adds,
            remove=remove,
            actor=_actor(request, body),
        )
        return JSONResponse({"key": item.key, "chapters": [c.to_dict() for c in item.chapters]})

    async def lock_state(request: Request) -> Response:
        return JSONResponse(writes.state())

    return [
        Route("/api/items", list_items, methods=["GET"]),
        Route("/api/items", bulk, methods=["POST"]),
        Route("/api/items/{key}", get_item, methods=["GET"]),
        Route("/api/items/{key}", patch_item, methods=["PATCH"]),
        Route("/api/items/{key}/history", item_history, methods=["GET"]),
        Route("/api/items/{key}/chapters", change_chapters, methods=["POST"]),
        Route("/api/history/{event}/undo", undo, methods=["POST"]),
        Route("/api/todo", todo_list, methods=["GET"]),
        Route("/api/terms/{vocabulary}", suggest, methods=["GET"]),
        Route("/api/conflicts", conflict_list, methods=["GET"]),
        Route("/api/conflicts", conflict_take, methods=["POST"]),
        Route("/api/lock", lock_state, methods=["GET"]),
    ]


async def errors(request: Request, exc: Exception) -> Response:
    """The application's refusals as JSON with the CLI's message and a fitting status."""
    if isinstance(exc, (UsageProblem, QueryError)):
        return _error(400, str(exc))
    if isinstance(exc, ArchiveBusy):
        return _error(503, str(exc))
    if isinstance(exc.__cause__, UnknownKey) or isinstance(exc, UnknownKey):
        return _error(404, str(exc))
    if isinstance(exc, (ArchiveError, CatalogError)):
        return _error(400, str(exc))
    raise exc


def _item_response(detail: dict[str, Any], status: int = 200, error: str | None = None) -> Response:
    body = {"error": error, "item": detail} if error else detail
    return JSONResponse(body, status, headers={"ETag": f'"{detail["version"]}"'})


def _if_match(request: Request) -> str | None:
    value = request.headers.get("if-match")
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.startswith("W/"):
        value = value[2:]
    return value.strip('"')


async def _json(request: Request, *, empty_ok: bool = False) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip() and empty_ok:
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageProblem(f"the request body is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise UsageProblem("the request body must be a JSON object")
    return data


def _actor(request: Request, body: dict[str, Any]) -> str | None:
    name = body.pop("actor", None) or request.headers.get("x-archive-actor")
    return str(name).strip()[:200] or None if name else None


def _number(request: Request, name: str, default: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit():
        raise UsageProblem(f"{name} must be a whole number, not {text!r}")
    return int(text)


def _error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status)
