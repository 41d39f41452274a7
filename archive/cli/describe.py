"""`archive vocab`, `chapters` and `history`: the terms, a video's chapters, an item's past."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli import output
from archive.cli.options import actor, archive_option, json_option, layout, wait_option


@click.command()
@click.argument("name", required=False)
@archive_option
@json_option
@click.pass_context
def vocab(ctx: click.Context, name: str | None, archive_path: Path | None, as_json: bool) -> None:
    """List the controlled vocabularies, or the terms of one: slug, labels in English,
    Russian and Tajik, variants. An archive adds its own in vocabularies/NAME.toml.

    \b
    Example:
        archive vocab
        archive vocab place
        archive vocab technique --json
    """
    from archive.terms import vocab as run_vocab

    found = run_vocab(layout(ctx, archive_path), name)
    if name is None:
        if as_json:
            output.print_json(found.to_dict())
            return
        for vocabulary, count in found.counts:
            output.out(f"{vocabulary:14} {count} terms")
        return
    if as_json:
        output.print_json([term.to_dict() for term in found.terms])
        return
    for term in found.terms:
        labels = " / ".join(term.labels.get(lang) or "–" for lang in ("en", "ru", "tg"))
        parent = f"  (in {term.parent})" if term.parent else ""
        output.out(f"{term.slug:22} {labels}{parent}")
        if term.alt:
            output.out(f"{'':22} also: {', '.join(term.alt)}")


@click.command()
@click.argument("key")
@archive_option
@json_option
@wait_option
@click.option(
    "--add",
    "add",
    nargs=3,
    multiple=True,
    metavar="RANGE STEP CAPTION",
    help='A chapter: 0:00-1:30 washing "Washing the wool" (STEP may be "").',
)
@click.option("--remove", multiple=True, type=click.IntRange(min=1), help="Remove chapter N.")
@click.option("--lang", default=None, help="The language of the captions (default: from script).")
@click.option("--list", "list_only", is_flag=True, help="Only list the chapters.")
@click.pass_context
def chapters(
    ctx: click.Context,
    key: str,
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    add: tuple[tuple[str, str, str], ...],
    remove: tuple[int, ...],
    lang: str | None,
    list_only: bool,
) -> None:
    """List or change the chapters of video KEY: time ranges with a process step and a caption.

    Listing only reads the archive; --add and --remove wait for it like an edit.

    \b
    Example:
        archive chapters 3fa2c9 --add 0:00-1:30 washing "Washing the wool"
        archive chapters 3fa2c9 --add 1:30-4:00 carding "Чесание шерсти" --remove 2
        archive chapters 3fa2c9 --list --json
    """
    from archive.chapters import change_chapters, chapter_rows
    from archive.chapters import chapters as read_chapters

    where = layout(ctx, archive_path)
    if list_only or not (add or remove):
        item = read_chapters(where, key)
    else:
        item = change_chapters(
            where,
            key,
            add=list(add),
            remove=list(remove),
            caption_lang=lang,
            actor=actor(),
            wait=wait,
        )
    if as_json:
        output.print_json({"key": item.key, "chapters": [c.to_dict() for c in item.chapters]})
        return
    for number, span, step, caption in chapter_rows(item):
        output.out(f"{number:3}  {span:15} {step or '-':16} {caption}")
    if not item.chapters:
        output.err(f"{item.key} has no chapters.")


@click.command()
@click.argument("key", required=False)
@archive_option
@json_option
@wait_option
@click.option(
    "--undo", "undo_event", type=int, default=None, metavar="EVENT", help="Revert an edit."
)
@click.pass_context
def history(
    ctx: click.Context,
    key: str | None,
    archive_path: Path | None,
    as_json: bool,
    wait: float,
    undo_event: int | None,
) -> None:
    """List every event of item KEY (or collection:SLUG) with old and new values, or undo
    one edit with --undo EVENT (the undo is itself an event).

    \b
    Example:
        archive history 3fa2c9
        archive history --undo 42
    """
    from archive.history import history as run_history
    from archive.history import undo

    where = layout(ctx, archive_path)
    if undo_event is not None:
        done = undo(where, undo_event, actor=actor(), wait=wait)
        if as_json:
            output.print_json(done.to_dict())
        output.err(
            f"Undid event {undo_event}: {done.key} {done.field} is {done.restored!r} again"
            f" (event {done.new_event})."
        )
        return
    if key is None:
        raise click.UsageError("name an item KEY, or give --undo EVENT")
    full, events = run_history(where, key)
    if as_json:
        output.print_json({"key": full, "events": [e.to_dict() for e in events]})
        return
    for event in events:
        who = event.detail.get("actor") or ""
        via = event.detail.get("via") or ""
        line = f"{event.id:6}  {event.at}  {event.action:12}"
        if event.field:
            line += f" {event.field}: {event.old!r} -> {event.new!r}"
        elif event.new is not None:
            line += f" {event.new!r}"
        extra = " ".join(p for p in (via, who) if p)
        output.out(line + (f"  [{extra}]" if extra else ""))


COMMANDS = [vocab, chapters, history]
