"""`archive list`, `show`, `search` and `edit`: finding items and changing their fields."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli import output
from archive.cli.options import actor, archive_option, json_option, layout, wait_option

ADVICE_NEGATION = (
    "{word} looks like an option. To leave out items with {bare!r}, write "
    '`archive search -- {word}` or `archive search "NOT {bare}"`'
)


@click.command(name="list")
@archive_option
@json_option
@click.option("--public", is_flag=True, help="Only items whose consent is public.")
@click.option("--query", default=None, help="Only the items this search finds (see search).")
@click.pass_context
def list_items(
    ctx: click.Context, archive_path: Path | None, as_json: bool, public: bool, query: str | None
) -> None:
    """List every item with its metadata, oldest first.

    \b
    Example:
        archive list
        archive list --query 'technique:felting' --public
        archive list --json > items.json
    """
    from archive.items import list_items as run_list

    found = run_list(layout(ctx, archive_path), public=public, query=query)
    if as_json:
        output.print_json([item.to_dict() for item in found.items])
        return
    for item in found.items:
        name = item.title or (Path(item.source_paths[0]).name if item.source_paths else "")
        date = (item.taken_at or "")[:10] or "undated"
        output.out(f"{item.key}  {item.kind:5}  {date:10}  {item.consent:8}  {name}")


@click.command()
@click.argument("key")
@archive_option
@json_option
@click.pass_context
def show(ctx: click.Context, key: str, archive_path: Path | None, as_json: bool) -> None:
    """Show one item: its metadata, derivatives and history. KEY may be a prefix.

    \b
    Example:
        archive show 3fa2c9 --json
    """
    from archive.items import show_item

    detail = show_item(layout(ctx, archive_path), key)
    if as_json:
        output.print_json(detail.to_dict())
        return
    for name, value in detail.item.to_dict().items():
        if value in (None, [], {}, ""):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        output.out(f"{name:14} {value}", newlines=" " * 15)
    if found := detail.item.extra.get("format_id"):
        named = " ".join(str(v) for v in (found["name"], found["version"]) if v)
        output.out(f"{'format id':14} {found['registry']} {found['puid'] or '(none)'}  {named}")
    output.out("derivatives:")
    for name, d in detail.derivatives.items():
        size = f"{d.width}x{d.height}" if d.width else ""
        output.out(f"  {name:10} {d.path} {size}")
    output.out("history:")
    for e in detail.events:
        change = (
            f" {e.field}: {e.old!r} -> {e.new!r}" if e.field else (f" {e.new}" if e.new else "")
        )
        output.out(f"  {e.at} {e.action}{change}")


class _SearchCommand(click.Command):
    """A negated word typed alone (search -felt) is read as options -f -e -l -t: say how
    to write it instead."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # the parser consumes the list it is given
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption:
            known = {o for p in self.params for o in getattr(p, "opts", [])}
            for word in given:
                if word == "--":
                    break
                if word.startswith("-") and not word.startswith("--") and word not in known:
                    raise click.UsageError(
                        ADVICE_NEGATION.format(word=word, bare=word.lstrip("-")), ctx
                    ) from None
            raise


@click.command(cls=_SearchCommand)
@click.argument("query", nargs=-1)
@archive_option
@json_option
@click.option("--nl", "as_nl", is_flag=True, help="Print one JSON object per hit, a line each.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date"]),
    default="relevance",
    show_default=True,
    help="Best match first, or by date taken (oldest first, undated last).",
)
@click.option(
    "--facets", "with_facets", is_flag=True, help="Also count technique, material, place, …"
)
@click.pass_context
def search(
    ctx: click.Context,
    query: tuple[str, ...],
    archive_path: Path | None,
    as_json: bool,
    as_nl: bool,
    limit: int,
    offset: int,
    sort: str,
    with_facets: bool,
) -> None:
    """Search titles, descriptions, terms, places, file names and cameras, in any
    language and either script (see docs/search.md).

    Words must all match; "quoted words" stand together; NOT word (or -word after
    --) excludes; word~ allows a typo; field:value filters by technique, material,
    object, step, place (with the places under it), kind, camera, consent, collection,
    year, date.

    \b
    Example:
        archive search хорог
        archive search 'jurab place:gbao' --facets
        archive search 'technique:felting date:2015-08..2015-11' --json
        archive search -- wool -felt
        archive search horog~ --sort date --nl
    """
    from archive.searching import search as run_search

    found = run_search(
        layout(ctx, archive_path),
        " ".join(query),
        limit=limit,
        offset=offset,
        sort=sort,
        facets=with_facets,
    )
    result = found.result
    if as_json:
        output.print_json(found.to_dict())
        return
    if as_nl:
        for hit in result.hits:
            output.print_json_line(hit.to_dict())
    if found.note:
        output.err(f"note: {found.note}")
    output.err(f"{result.total} items match.")
    if result.did_you_mean:
        output.err(f"Did you mean: {result.did_you_mean}")
    if as_nl:
        return
    for hit in result.hits:
        date = (hit.taken or "")[:10] or "undated"
        output.out(f"{hit.key}  {date:10}  {hit.title or ''}")
        if hit.snippet:
            output.styled("    " + _highlighted(hit.snippet, hit.highlights))
    for name, counts in (result.facets or {}).items():
        if counts:
            output.out(f"{name}: " + ", ".join(f"{c.label} ({c.count})" for c in counts))


def _highlighted(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The snippet with matched words in bold (plain when stdout is not a terminal)."""
    parts, at = [], 0
    for start, end in spans:
        parts += [output.safe(text[at:start]), output.bold(text[start:end])]
        at = end
    parts.append(output.safe(text[at:]))
    return "".join(parts)


@click.command()
@click.argument("keys", nargs=-1)
@archive_option
@json_option
@wait_option
@click.option("--set", "set_", multiple=True, metavar="FIELD=VALUE", help="Set a field.")
@click.option("--add", multiple=True, metavar="FIELD=VALUE", help="Add to a list field.")
@click.option("--remove", multiple=True, metavar="FIELD=VALUE", help="Remove from a list field.")
@click.option("--unset", multiple=True, metavar="FIELD", help="Clear a field (title.ru: one).")
@click.option(
    "--as-new-term",
    "new_terms",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Accept VALUE as a new term of the archive's vocabulary and add it.",
)
@click.option("--query", "query", default=None, help="Edit every item this search finds.")
@click.pass_context
def edit(
    ctx: click.Context,
    keys: tuple[str, ...],
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    set_: tuple[str, ...],
    add: tuple[str, ...],
    remove: tuple[str, ...],
    unset: tuple[str, ...],
    new_terms: tuple[str, ...],
    query: str | None,
) -> None:
    """Change descriptive fields of items given by KEYS and/or --query.

    Every change is recorded in the item's history with its old and new value.
    --set title=… sets the language the text is written in (title.tg=… names it);
    --unset title.ru clears one. taken_at takes 2015-08-16T10:30, 2015-08-16, 2015-08
    or 2015 (the file's own date stays in taken_at_original).

    \b
    Example:
        archive edit 3fa2c9 --set consent=public --set "title=Felt rug, Khorog"
        archive edit 3fa2c9 --set "title.tg=Қолини намадӣ" --unset description.ru
        archive edit 3fa2c9 --set taken_at=2015-08-16T10:30
        archive edit 3fa2c9 --as-new-term technique=feltin
        archive edit --query 'kind:video' --add keywords=wool
    """
    from archive.edit import edit as run_edit

    if not keys and query is None:
        raise click.UsageError("name items by KEY or --query")
    report = run_edit(
        layout(ctx, archive_path),
        list(keys),
        set_=list(set_),
        add=list(add),
        remove=list(remove),
        unset=list(unset),
        new_terms=list(new_terms),
        query=query,
        actor=actor(),
        wait=wait,
    )
    if as_json:
        output.print_json(report.to_dict())
        return
    for change in report.changes:
        output.out(f"{change.key}  {change.field}: {change.old!r} -> {change.new!r}")
    output.err(
        f"{len(report.changes)} changes to {len({c.key for c in report.changes})} of "
        f"{len(report.keys)} items."
    )


COMMANDS = [list_items, show, search, edit]
