"""Items and their history as PREMIS 3 XML: file objects, preservation events, agents."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from archive import __version__
from catalog.models import Event, Item

PREMIS_NS = "http://www.loc.gov/premis/v3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
EVENT_TYPES_URI = "http://id.loc.gov/vocabulary/preservation/eventType"
SOFTWARE = "pamir-craft-archive"
KEY_TYPE = "pamir-craft-archive key"
EVENT_ID_TYPE = "pamir-craft-archive event"
AGENT_ID_TYPE = "pamir-craft-archive agent"


@dataclass(frozen=True)
class PremisEvent:
    """One PREMIS event made from an event of the archive (one archive event may give several:
    an ingestion is also a message digest calculation and a format identification)."""

    identifier: str
    type: str  # from the Library of Congress eventType vocabulary
    at: str
    key: str
    detail: str | None = None
    outcome: str | None = None
    outcome_note: str | None = None
    actor: str | None = None  # a person, where the archive knows who
    outcome_object: str | None = None  # a file the event made (a derivative)


def premis_events(item: Item, events: Iterable[Event]) -> list[PremisEvent]:
    """The events of an item that preservation cares about, as PREMIS events.

    Kept: ingested, fixity, repaired, derivative, edited. Left out: ``source-added`` (the same bytes
    were seen again under another name; nothing happened to the original).
    """
    found: list[PremisEvent] = []
    for event in events:
        found.extend(_translate(item, event))
    return found


def _translate(item: Item, event: Event) -> list[PremisEvent]:
    base = {"at": event.at, "key": item.key, "actor": event.detail.get("actor")}
    ident = str(event.id)
    if event.action == "ingested":
        source = event.detail.get("source")
        name = f" from {PurePath(str(source)).name}" if source else ""
        return [
            PremisEvent(ident, "ingestion", detail=f"copied into the archive{name}",
                        outcome="success", **base),
            PremisEvent(f"{ident}-digest", "message digest calculation",
                        detail="SHA-256 of the original, streamed while it was copied",
                        outcome="success", outcome_note=f"SHA-256 {item.sha256}", **base),
            PremisEvent(f"{ident}-format", "format identification",
                        detail="kind and format read from the file's content (magic bytes)",
                        outcome="success", outcome_note=_identified(item), **base),
        ]  # fmt: skip
    if event.action == "fixity":
        state = str(event.new or "")
        note = {
            "ok": "the original's bytes match its SHA-256",
            "failed": "the original's bytes no longer match its SHA-256",
            "missing": "the original file is missing",
        }.get(state, state)
        return [
            PremisEvent(ident, "fixity check", detail="SHA-256 of the original computed again",
                        outcome="pass" if state == "ok" else "fail", outcome_note=note, **base)
        ]  # fmt: skip
    if event.action == "repaired":
        source, target = event.detail.get("from"), event.detail.get("to")
        return [
            PremisEvent(ident, "recovery" if target == "archive" else "replication",
                        detail=f"the {event.old or 'damaged'} copy in {target} was restored "
                        f"from {source}, whose copy matched the SHA-256",
                        outcome="success", outcome_note=f"SHA-256 {item.sha256}", **base)
        ]  # fmt: skip
    if event.action == "derivative":
        fingerprint = event.detail.get("fingerprint")
        return [
            PremisEvent(ident, "creation",
                        detail=f"access copy '{event.field}' made from the original"
                        + (f" (spec fingerprint {fingerprint})" if fingerprint else ""),
                        outcome="success", outcome_object=str(event.new or ""), **base)
        ]  # fmt: skip
    if event.action == "edited":
        via = event.detail.get("via")
        return [
            PremisEvent(ident, "metadata modification",
                        detail=f"{event.field}: {_short(event.old)} -> {_short(event.new)}"
                        + (f" (by {via})" if via else ""),
                        outcome="success", **base)
        ]  # fmt: skip
    return []


def _identified(item: Item) -> str:
    found = item.extra.get("format_id")
    puid = found.get("puid") if isinstance(found, dict) else None
    return f"{item.mime} (PRONOM {puid})" if puid else item.mime


def _short(value: Any, limit: int = 200) -> str:
    text = "(none)" if value in (None, "", [], {}) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def premis_chunks(items: list[Item], events_of: Callable[[str], list[Event]]) -> Iterator[bytes]:
    """A PREMIS 3 document, written a part at a time: every item's file object, then their
    events, then the agents that took part (the archive software and named people)."""
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<premis:premis xmlns:premis="{PREMIS_NS}" xmlns:xsi="{XSI_NS}"'
        f' xsi:schemaLocation="{PREMIS_NS} http://www.loc.gov/standards/premis/v3/premis.xsd"'
        ' version="3.0">\n'
    ).encode()
    for item in items:
        yield _object(item).encode("utf-8")
    people: dict[str, None] = {}
    for item in items:
        for event in premis_events(item, events_of(item.key)):
            if event.actor:
                people.setdefault(event.actor, None)
            yield _event(event).encode("utf-8")
    yield _agent(SOFTWARE, f"Pamir Craft Archive {__version__}", "software").encode()
    for person in people:
        yield _agent(f"person:{person}", person, "person").encode("utf-8")
    yield b"</premis:premis>\n"


def _el(name: str, text: Any, attrs: str = "") -> str:
    return f"<premis:{name}{attrs}>{escape(str(text))}</premis:{name}>"


def _object(item: Item) -> str:
    names = [PurePath(p).name for p in item.source_paths]
    parts = [
        '  <premis:object xsi:type="premis:file">',
        "<premis:objectIdentifier>"
        + _el("objectIdentifierType", KEY_TYPE)
        + _el("objectIdentifierValue", item.key)
        + "</premis:objectIdentifier>",
        "<premis:objectCharacteristics>"
        + _el("compositionLevel", 0)
        + "<premis:fixity>"
        + _el("messageDigestAlgorithm", "SHA-256")
        + _el("messageDigest", item.sha256)
        + _el("messageDigestOriginator", SOFTWARE)
        + "</premis:fixity>"
        + _el("size", item.size)
        + _format(item)
        + "</premis:objectCharacteristics>",
    ]
    if names:
        parts.append(_el("originalName", names[0]))
    parts.append("</premis:object>\n")
    return "\n    ".join(parts[:-1]) + "\n  " + parts[-1]


def _format(item: Item) -> str:
    """formatDesignation (PRONOM's name and version where known, else the MIME type), the
    PRONOM registry key where one is confirmed, and the MIME type as a note."""
    found = item.extra.get("format_id")
    found = found if isinstance(found, dict) else {}
    name, version, puid = found.get("name"), found.get("version"), found.get("puid")
    designation = _el("formatName", name or item.mime)
    if version:
        designation += _el("formatVersion", version)
    registry = ""
    if puid:
        registry = (
            "<premis:formatRegistry>"
            + _el("formatRegistryName", found.get("registry") or "PRONOM")
            + _el("formatRegistryKey", puid)
            + _el("formatRegistryRole", "specification")
            + "</premis:formatRegistry>"
        )
    note = _el("formatNote", f"MIME type {item.mime}") if name else ""
    return (
        f"<premis:format><premis:formatDesignation>{designation}</premis:formatDesignation>"
        f"{registry}{note}</premis:format>"
    )


def _event(event: PremisEvent) -> str:
    vocabulary = f' authority="eventType" authorityURI={quoteattr(EVENT_TYPES_URI)}'
    parts = [
        "  <premis:event>",
        "<premis:eventIdentifier>"
        + _el("eventIdentifierType", EVENT_ID_TYPE)
        + _el("eventIdentifierValue", event.identifier)
        + "</premis:eventIdentifier>",
        _el("eventType", event.type, vocabulary),
        _el("eventDateTime", event.at),
    ]
    if event.detail:
        parts.append(f"<premis:eventDetailInformation>{_el('eventDetail', event.detail)}"
                     "</premis:eventDetailInformation>")  # fmt: skip
    if event.outcome:
        note = ""
        if event.outcome_note:
            note = (
                "<premis:eventOutcomeDetail>"
                + _el("eventOutcomeDetailNote", event.outcome_note)
                + "</premis:eventOutcomeDetail>"
            )
        parts.append(
            f"<premis:eventOutcomeInformation>{_el('eventOutcome', event.outcome)}{note}"
            "</premis:eventOutcomeInformation>"
        )
    parts.append(_linking_agent(SOFTWARE, "executing program"))
    if event.actor:
        parts.append(_linking_agent(f"person:{event.actor}", "implementer"))
    parts.append(_linking_object(KEY_TYPE, event.key, "source"))
    if event.outcome_object:
        parts.append(_linking_object("pamir-craft-archive path", event.outcome_object, "outcome"))
    return "\n    ".join(parts) + "\n  </premis:event>\n"


def _linking_agent(value: str, role: str) -> str:
    return (
        "<premis:linkingAgentIdentifier>"
        + _el("linkingAgentIdentifierType", AGENT_ID_TYPE)
        + _el("linkingAgentIdentifierValue", value)
        + _el("linkingAgentRole", role)
        + "</premis:linkingAgentIdentifier>"
    )


def _linking_object(kind: str, value: str, role: str) -> str:
    return (
        "<premis:linkingObjectIdentifier>"
        + _el("linkingObjectIdentifierType", kind)
        + _el("linkingObjectIdentifierValue", value)
        + _el("linkingObjectRole", role)
        + "</premis:linkingObjectIdentifier>"
    )


def _agent(value: str, name: str, kind: str) -> str:
    return (
        "  <premis:agent><premis:agentIdentifier>"
        + _el("agentIdentifierType", AGENT_ID_TYPE)
        + _el("agentIdentifierValue", value)
        + "</premis:agentIdentifier>"
        + _el("agentName", name)
        + _el("agentType", kind)
        + "</premis:agent>\n"
    )
