"""`archive collection …`: named, ordered groups of items, and events."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli import output
from archive.cli.options import actor, archive_option, json_option, layout, wait_option


def _per_language(values: tuple[str, ...], option: str) -> dict[str, str]:
    texts = {}
    for value in values:
        lang, sep, text = value.partition("=")
        if not sep:
            raise click.UsageError(f"{option} takes LANG=TEXT, e.g. {option} en=Felt")
        texts[lang.strip().lower()] = text
    return texts


@click.group()
def collection() -> None:
    """Collections and events: named, ordered groups of items.

    \b
    Example:
        archive collection create felt-2015 --event --start 2015-08-10 --place khorog
        archive collection add felt-2015 3fa2c9 81b0e2
    """


@collection.command(name="create")
@click.argument("slug")
@archive_option
@json_option
@wait_option
@click.option("--event", "is_event", is_flag=True, help="An event: it has dates and a place.")
@click.option("--title", multiple=True, metavar="LANG=TEXT", help="The title in one language.")
@click.option("--description", multiple=True, metavar="LANG=TEXT", help="A description.")
@click.option("--start", default=None, metavar="DATE", help="First day (2015-08-10).")
@click.option("--end", default=None, metavar="DATE", help="Last day.")
@click.option("--place", default=None, help="A place of the place vocabulary.")
@click.pass_context
def collection_create(
    ctx: click.Context,
    slug: str,
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    is_event: bool,
    title: tuple[str, ...],
    description: tuple[str, ...],
    start: str | None,
    end: str | None,
    place: str | None,
) -> None:
    """Create a collection (or, with --event, an event) named SLUG.

    \b
    Example:
        archive collection create jurab-socks --title en="Jurab socks" --title ru="Джурабы"
        archive collection create felt-2015 --event --start 2015-08-10 --end 2015-08-14
    """
    from archive.collections import create

    made = create(
        layout(ctx, archive_path),
        slug,
        actor=actor(),
        wait=wait,
        kind="event" if is_event else "collection",
        title=_per_language(title, "--title"),
        description=_per_language(description, "--description"),
        date_start=start,
        date_end=end,
        place=place,
    )
    if as_json:
        output.print_json(made.to_dict())
    output.err(f"Created the {made.kind} {made.slug}.")


@collection.command(name="add")
@click.argument("slug")
@click.argument("keys", nargs=-1, required=True)
@archive_option
@json_option
@wait_option
@click.option("--at", "position", type=click.IntRange(min=1), default=None, help="Position.")
@click.pass_context
def collection_add(
    ctx: click.Context,
    slug: str,
    keys: tuple[str, ...],
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    position: int | None,
) -> None:
    """Put the items KEYS into collection SLUG (at the end, or at position --at).

    \b
    Example:
        archive collection add felt-2015 3fa2c9 81b0e2 --at 1
    """
    from archive.collections import add

    keys_in_order = add(
        layout(ctx, archive_path),
        slug,
        list(keys),
        position=position,
        actor=actor(),
        wait=wait,
    )
    if as_json:
        output.print_json({"slug": slug, "items": keys_in_order})
    output.err(f"{slug} now holds {len(keys_in_order)} items.")


@collection.command(name="remove")
@click.argument("slug")
@click.argument("keys", nargs=-1, required=True)
@archive_option
@json_option
@wait_option
@click.pass_context
def collection_remove(
    ctx: click.Context,
    slug: str,
    keys: tuple[str, ...],
    archive_path: Path | None,
    as_json: bool,
    wait: float,
) -> None:
    """Take the items KEYS out of collection SLUG (the items stay in the archive).

    \b
    Example:
        archive collection remove felt-2015 81b0e2
    """
    from archive.collections import remove

    keys_in_order = remove(layout(ctx, archive_path), slug, list(keys), actor=actor(), wait=wait)
    if as_json:
        output.print_json({"slug": slug, "items": keys_in_order})
    output.err(f"{slug} now holds {len(keys_in_order)} items.")


@collection.command(name="list")
@archive_option
@json_option
@click.pass_context
def collection_list(ctx: click.Context, archive_path: Path | None, as_json: bool) -> None:
    """List the collections and events with their number of items.

    \b
    Example:
        archive collection list --json
    """
    from archive.collections import listing

    found = listing(layout(ctx, archive_path))
    if as_json:
        output.print_json([{**c.to_dict(), "count": n} for c, n in found])
        return
    for made, count in found:
        dates = " ".join(d for d in (made.date_start, made.date_end) if d)
        title = made.title.get("en") or next(iter(made.title.values()), "")
        output.out(f"{made.slug:24} {made.kind:10} {count:5} items  {dates}  {title}".rstrip())


@collection.command(name="show")
@click.argument("slug")
@archive_option
@json_option
@click.pass_context
def collection_show(
    ctx: click.Context, slug: str, archive_path: Path | None, as_json: bool
) -> None:
    """Show a collection: its titles, descriptions, dates, place and items in order.

    \b
    Example:
        archive collection show felt-2015 --json
    """
    from archive.collections import show as run_show

    made, keys = run_show(layout(ctx, archive_path), slug)
    if as_json:
        output.print_json({**made.to_dict(), "items": keys})
        return
    output.out(f"{made.slug} ({made.kind})")
    for name in ("title", "description"):
        for lang, text in getattr(made, name).items():
            output.out(f"  {name}[{lang}]: {text}")
    for name in ("date_start", "date_end", "place"):
        if getattr(made, name):
            output.out(f"  {name}: {getattr(made, name)}")
    for key in keys:
        output.out(f"  {key}")


COMMANDS = [collection]
