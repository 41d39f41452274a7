"""OAI-PMH 2.0 for harvesters: the six verbs over the public items as oai_dc records."""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from archive import access
from archive.config import load
from archive.dublincore import DcRecord, describe, oai_dc
from archive.layout import Layout
from archive.terms import vocabularies
from catalog.collections import all_collections
from catalog.models import Item

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
ET.register_namespace("", OAI_NS)
ID_PREFIX = "oai:pamir-craft-archive:"
EARLIEST = "2000-01-01T00:00:00Z"
FORMATS = {
    "oai_dc": (
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/",
    )
}
# The arguments each verb takes: required, optional; an exclusive resumptionToken aside.
VERBS: dict[str, tuple[set[str], set[str]]] = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
}
PAGE_SIZE = 100


@dataclass(frozen=True)
class OaiResponse:
    """What the server sends back: always XML, with HTTP 200 (errors are inside it)."""

    body: bytes
    status: int = 200


class _Refusal(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class _Snapshot:
    """The public items, in harvest order (datestamp, key), and their sets."""

    name: str
    items: tuple[tuple[str, Item], ...]
    sets: tuple[tuple[str, str], ...]  # (slug, title) of collections with public items


def respond(
    layout: Layout,
    params: Mapping[str, Sequence[str]],
    *,
    base_url: str,
    page_size: int = PAGE_SIZE,
) -> OaiResponse:
    """Answer one OAI-PMH request (its GET query or POST form as lists of values)."""
    root = ET.Element(
        f"{{{OAI_NS}}}OAI-PMH", {f"{{{XSI_NS}}}schemaLocation": f"{OAI_NS} {OAI_SCHEMA}"}
    )
    ET.SubElement(root, f"{{{OAI_NS}}}responseDate").text = _stamp(datetime.now(UTC))
    request = ET.SubElement(root, f"{{{OAI_NS}}}request")
    request.text = base_url
    try:
        verb, args = _arguments(params)
        for name, value in (("verb", verb), *sorted(args.items())):
            request.set(name, value)
        snapshot = _snapshot(layout)
        answer = _VERB_HANDLERS[verb](snapshot, args, base_url, page_size, layout)
        root.append(answer)
    except _Refusal as refusal:
        if refusal.code in ("badVerb", "badArgument"):
            request.attrib.clear()  # the spec: echo no arguments of a request it cannot read
        error = ET.SubElement(root, f"{{{OAI_NS}}}error", {"code": refusal.code})
        error.text = refusal.message
    ET.indent(root)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return OaiResponse(body)


def _arguments(params: Mapping[str, Sequence[str]]) -> tuple[str, dict[str, str]]:
    doubled = sorted(name for name, values in params.items() if len(values) > 1)
    if doubled:
        raise _Refusal("badArgument", f"repeated argument: {', '.join(doubled)}")
    args = {name: values[0] for name, values in params.items()}
    verb = args.pop("verb", None)
    if verb not in VERBS:
        raise _Refusal("badVerb", f"not an OAI-PMH verb: {verb!r}" if verb else "no verb given")
    required, optional = VERBS[verb]
    allowed = required | optional
    if "resumptionToken" in args and verb in ("ListIdentifiers", "ListRecords", "ListSets"):
        if len(args) > 1:
            raise _Refusal("badArgument", "resumptionToken is an exclusive argument")
        return verb, args
    unknown = sorted(set(args) - allowed)
    if unknown:
        raise _Refusal("badArgument", f"{verb} does not take {', '.join(unknown)}")
    missing = sorted(required - set(args))
    if missing:
        raise _Refusal("badArgument", f"{verb} needs {', '.join(missing)}")
    return verb, args


def _snapshot(layout: Layout) -> _Snapshot:
    name = load(layout).site.title
    with access.reading(layout) as catalog:
        items = [i for i in catalog.items(public_only=True) if i.is_public]
        titles = {c.slug: c.title for c in all_collections(catalog)}
    ordered = sorted(((_datestamp(i), i) for i in items), key=lambda pair: (pair[0], pair[1].key))
    slugs = sorted({slug for i in items for slug in i.collections})
    sets = tuple((slug, _title(titles.get(slug)) or slug) for slug in slugs)
    return _Snapshot(name, tuple(ordered), sets)


def _title(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("en") or next((v for v in value.values() if v), None)
    return value or None


def _identify(snap: _Snapshot, args: dict[str, str], base: str, size: int, _: Layout) -> Any:
    node = ET.Element(f"{{{OAI_NS}}}Identify")
    earliest = snap.items[0][0] if snap.items else EARLIEST
    for name, value in (
        ("repositoryName", snap.name),
        ("baseURL", base),
        ("protocolVersion", "2.0"),
        ("earliestDatestamp", earliest),
        ("deletedRecord", "no"),
        ("granularity", "YYYY-MM-DDThh:mm:ssZ"),
    ):
        ET.SubElement(node, f"{{{OAI_NS}}}{name}").text = value
    return node


def _formats(snap: _Snapshot, args: dict[str, str], base: str, size: int, _: Layout) -> Any:
    if "identifier" in args:
        _find(snap, args["identifier"])
    node = ET.Element(f"{{{OAI_NS}}}ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        fmt = ET.SubElement(node, f"{{{OAI_NS}}}metadataFormat")
        ET.SubElement(fmt, f"{{{OAI_NS}}}metadataPrefix").text = prefix
        ET.SubElement(fmt, f"{{{OAI_NS}}}schema").text = schema
        ET.SubElement(fmt, f"{{{OAI_NS}}}metadataNamespace").text = namespace
    return node


def _sets(snap: _Snapshot, args: dict[str, str], base: str, size: int, _: Layout) -> Any:
    if "resumptionToken" in args:
        raise _Refusal("badResumptionToken", "this repository gives out no tokens for sets")
    if not snap.sets:
        raise _Refusal("noSetHierarchy", "no public item is in a collection")
    node = ET.Element(f"{{{OAI_NS}}}ListSets")
    for slug, title in snap.sets:
        entry = ET.SubElement(node, f"{{{OAI_NS}}}set")
        ET.SubElement(entry, f"{{{OAI_NS}}}setSpec").text = slug
        ET.SubElement(entry, f"{{{OAI_NS}}}setName").text = title
    return node


def _get(snap: _Snapshot, args: dict[str, str], base: str, size: int, layout: Layout) -> Any:
    _format(args["metadataPrefix"])
    stamp, item = _find(snap, args["identifier"])
    node = ET.Element(f"{{{OAI_NS}}}GetRecord")
    node.append(_record(stamp, item, describe(item, vocabularies(layout))))
    return node


def _list(snap: _Snapshot, args: dict[str, str], base: str, size: int, layout: Layout) -> Any:
    token = args.get("resumptionToken")
    _format(args["metadataPrefix"])
    low, high = _bound(args.get("from"), "from"), _bound(args.get("until"), "until")
    if low and high and len(args["from"]) != len(args["until"]):
        raise _Refusal("badArgument", "from and until must have the same granularity")
    if low and high and low > high:
        raise _Refusal("badArgument", "from is later than until")
    wanted = args.get("set")
    if wanted is not None and wanted not in dict(snap.sets):
        raise _Refusal("noRecordsMatch", f"no public item is in the set {wanted!r}")
    chosen = [
        (stamp, item)
        for stamp, item in snap.items
        if (not low or stamp >= low)
        and (not high or stamp <= high)
        and (wanted is None or wanted in item.collections)
    ]
    if not chosen:
        raise _Refusal("noRecordsMatch", "no public item matches")
    after = (args.get("after_stamp", ""), args.get("after_key", ""))
    rest = [(s, i) for s, i in chosen if (s, i.key) > after] if token else chosen
    if token and not rest:
        raise _Refusal("badResumptionToken", "the token points past the end of the list")
    page = rest[:size]
    full = args["verb"] == "ListRecords"
    node = ET.Element(f"{{{OAI_NS}}}{'ListRecords' if full else 'ListIdentifiers'}")
    terms = vocabularies(layout) if full else None
    for stamp, item in page:
        if terms is not None:
            node.append(_record(stamp, item, describe(item, terms)))
        else:
            node.append(_header(stamp, item))
    cursor = len(chosen) - len(rest)
    if token or len(rest) > size:
        resume = ET.SubElement(
            node,
            f"{{{OAI_NS}}}resumptionToken",
            {"completeListSize": str(len(chosen)), "cursor": str(cursor)},
        )
        if len(rest) > size:
            last_stamp, last = page[-1]
            resume.text = _make_token(args, "ListRecords" if full else "ListIdentifiers",
                                      last_stamp, last.key)  # fmt: skip
    return node


def _make_token(args: dict[str, str], verb: str, stamp: str, key: str) -> str:
    fields = [verb, args["metadataPrefix"], args.get("from", ""), args.get("until", ""),
              args.get("set", ""), stamp, key]  # fmt: skip
    return base64.urlsafe_b64encode("\x1f".join(fields).encode()).decode().rstrip("=")


def _read_token(token: str) -> dict[str, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        verb, prefix, low, high, wanted, stamp, key = raw.split("\x1f")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise _Refusal("badResumptionToken", "the resumptionToken cannot be read") from exc
    args = {"verb": verb, "metadataPrefix": prefix, "after_stamp": stamp, "after_key": key}
    args.update({k: v for k, v in (("from", low), ("until", high), ("set", wanted)) if v})
    return args


def _list_verb(verb: str) -> Any:
    def handler(snap: _Snapshot, args: dict[str, str], base: str, size: int, lay: Layout) -> Any:
        if "resumptionToken" in args:
            read = _read_token(args["resumptionToken"])
            if read["verb"] != verb:
                raise _Refusal("badResumptionToken", f"this token is for {read['verb']}")
            return _list(snap, {**args, **read}, base, size, lay)
        return _list(snap, {**args, "verb": verb}, base, size, lay)

    return handler


def _record(stamp: str, item: Item, record: DcRecord) -> ET.Element:
    node = ET.Element(f"{{{OAI_NS}}}record")
    node.append(_header(stamp, item))
    metadata = ET.SubElement(node, f"{{{OAI_NS}}}metadata")
    metadata.append(oai_dc(record))
    return node


def _header(stamp: str, item: Item) -> ET.Element:
    node = ET.Element(f"{{{OAI_NS}}}header")
    ET.SubElement(node, f"{{{OAI_NS}}}identifier").text = ID_PREFIX + item.key
    ET.SubElement(node, f"{{{OAI_NS}}}datestamp").text = stamp
    for slug in sorted(set(item.collections)):
        ET.SubElement(node, f"{{{OAI_NS}}}setSpec").text = slug
    return node


def _find(snap: _Snapshot, identifier: str) -> tuple[str, Item]:
    key = identifier.removeprefix(ID_PREFIX)
    for stamp, item in snap.items:
        if identifier.startswith(ID_PREFIX) and item.key == key:
            return stamp, item
    raise _Refusal("idDoesNotExist", f"no public item has the identifier {identifier!r}")


def _format(prefix: str) -> None:
    if prefix not in FORMATS:
        raise _Refusal("cannotDisseminateFormat", f"only oai_dc is offered, not {prefix!r}")


def _bound(value: str | None, name: str) -> str | None:
    """A from/until argument as a full UTC datestamp (a day covers all of it)."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            datetime.strptime(value, "%Y-%m-%d")
            return value + ("T00:00:00Z" if name == "from" else "T23:59:59Z")
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
        return value
    except ValueError as exc:
        raise _Refusal("badArgument", f"{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ") from exc


def _datestamp(item: Item) -> str:
    """When the item's record last changed, as OAI-PMH writes it (UTC, to the second)."""
    raw = item.updated_at or item.ingested_at or EARLIEST
    try:
        return _stamp(datetime.fromisoformat(raw.replace("Z", "+00:00")))
    except ValueError:
        return EARLIEST


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_VERB_HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _formats,
    "ListSets": _sets,
    "GetRecord": _get,
    "ListIdentifiers": _list_verb("ListIdentifiers"),
    "ListRecords": _list_verb("ListRecords"),
}
