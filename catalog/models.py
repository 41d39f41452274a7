"""Values the catalogue stores and returns: items, events, derivatives."""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import asdict, dataclass
from typing import Any

from catalog.chapters import Chapter
from catalog.dates import precision_of


class Consent(enum.StrEnum):
    """Whether the people shown agreed to publication."""

    PUBLIC = "public"
    INTERNAL = "internal"
    WITHHELD = "withheld"


class Kind(enum.StrEnum):
    """What an original is."""

    PHOTO = "photo"
    VIDEO = "video"


# The fields that say what an item shows and where, each holding terms of the vocabulary of
# the same name: technique, material, object type and process step (lists) and place (one).
# Captions are searched for their terms, searches and the site count them (facets), and the
# site has a page per term. This is the one list of them: every other is made from it.
SUBJECT_FIELDS: tuple[str, ...] = ("technique", "material", "object_type", "process_step", "place")

# Fields read from the file: set at ingest, never edited by people.
TECHNICAL_FIELDS: tuple[str, ...] = (
    "key",
    "sha256",
    "kind",
    "mime",
    "size",
    "original",
    "width",
    "height",
    "orientation",
    "rotation",
    "duration",
    "frame_rate",
    "video_codec",
    "audio_codec",
    "taken_at",
    "camera_make",
    "camera_model",
    "lens",
    "exposure_time",
    "f_number",
    "iso",
    "focal_length",
    "gps_lat",
    "gps_lon",
    "gps_alt",
    "ingested_at",
)

# Languages a title and a description are kept in, each in a column of its own
# (``title_en``, ``title_ru``, …). ``title`` and ``description`` hold the preferred text:
# the English one, else the first of the others that is set.
TEXT_LANGUAGES: tuple[str, ...] = ("en", "ru", "tg", "et")
PER_LANGUAGE_FIELDS: tuple[str, ...] = ("title", "description")
LANGUAGE_COLUMNS: tuple[str, ...] = tuple(
    f"{name}_{lang}" for name in PER_LANGUAGE_FIELDS for lang in TEXT_LANGUAGES
)
CONSENT_DETAILS: tuple[str, ...] = ("consent_by", "consent_date", "consent_note")

# Fields written by people. Lists are stored as JSON arrays.
TEXT_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    *LANGUAGE_COLUMNS,
    "maker",
    "photographer",
    "place",
    "event",
    "language",
    "rights",
    *CONSENT_DETAILS,
)
LIST_FIELDS: tuple[str, ...] = (
    "keywords",
    *(name for name in SUBJECT_FIELDS if name != "place"),  # an item is in one place
    "collections",
)
# What a product has besides its description (migration 0005): "25 EUR", "200 × 140 cm", 3.
PRODUCT_FIELDS: tuple[str, ...] = ("price", "dimensions", "available")
DESCRIPTIVE_FIELDS: tuple[str, ...] = TEXT_FIELDS + LIST_FIELDS + ("consent",) + PRODUCT_FIELDS


@dataclass(frozen=True)
class Item:
    """The catalogue entry for one original."""

    key: str
    sha256: str
    kind: str
    mime: str
    size: int
    original: str  # archive-relative POSIX path of the original
    width: int | None = None
    height: int | None = None
    orientation: int | None = None
    rotation: int | None = None
    duration: float | None = None
    frame_rate: float | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    taken_at: str | None = None  # corrected by people, else as the file gives it
    camera_make: str | None = None
    camera_model: str | None = None
    lens: str | None = None
    exposure_time: float | None = None
    f_number: float | None = None
    iso: int | None = None
    focal_length: float | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    ingested_at: str | None = None
    updated_at: str | None = None
    title: str | None = None
    description: str | None = None
    maker: str | None = None
    photographer: str | None = None
    place: str | None = None
    event: str | None = None
    language: str | None = None
    rights: str | None = None
    keywords: tuple[str, ...] = ()
    technique: tuple[str, ...] = ()
    material: tuple[str, ...] = ()
    object_type: tuple[str, ...] = ()
    process_step: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()
    consent: str = Consent.INTERNAL.value
    title_en: str | None = None
    title_ru: str | None = None
    title_tg: str | None = None
    title_et: str | None = None
    description_en: str | None = None
    description_ru: str | None = None
    description_tg: str | None = None
    description_et: str | None = None
    consent_by: str | None = None
    consent_date: str | None = None
    consent_note: str | None = None
    price: str | None = None  # "amount CURRENCY", see catalog.fields.parse_price
    dimensions: str | None = None
    available: int | None = None  # pieces for sale; 0 = sold out, None = not said
    chapters: tuple[Chapter, ...] = ()
    taken_at_original: str | None = None  # the date the file gives, never changed
    source_paths: tuple[str, ...] = ()
    extra: dict[str, Any] = dataclasses.field(default_factory=dict, hash=False, compare=False)

    def texts(self, name: str) -> dict[str, str]:
        """A text field (title, description) in every language it is written in.

        ``title_en``, ``title_ru``, … hold one text per language; ``extra["translations"]``
        may hold texts in other languages; a plain text of unknown language is ``und``.
        """
        found: dict[str, str] = {}
        if name in PER_LANGUAGE_FIELDS:
            for lang in TEXT_LANGUAGES:
                text = getattr(self, f"{name}_{lang}")
                if text:
                    found[lang] = text
        for lang, text in ((self.extra.get("translations") or {}).get(name) or {}).items():
            found.setdefault(lang, text)
        plain = getattr(self, name, None)
        if plain and plain not in found.values():
            found.setdefault("und", plain)
        return {lang: text for lang, text in found.items() if text}

    def text(
        self, name: str, language: str = "en", fallback: tuple[str, ...] = ("en", "ru", "tg")
    ) -> str | None:
        """The text of ``name`` in ``language``, else in the first of ``fallback`` that has one,
        else in any language, else None."""
        texts = self.texts(name)
        for lang in (language, *fallback):
            if texts.get(lang):
                return texts[lang]
        return next(iter(texts.values()), None) or getattr(self, name, None)

    @property
    def is_public(self) -> bool:
        return self.consent == Consent.PUBLIC.value

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: tuples become lists, missing values stay None."""
        data = asdict(self)
        for name, value in data.items():
            if isinstance(value, tuple):
                data[name] = list(value)
        data["taken_precision"] = precision_of(self.taken_at)
        return data


class EventAction(enum.StrEnum):
    """What an event of the preservation history records."""

    INGESTED = "ingested"  # an item was added
    EDITED = "edited"  # a field of an item or a collection changed
    SOURCE_ADDED = "source-added"  # one more source path holds the same original
    DERIVATIVE = "derivative"  # a derivative was made
    FIXITY = "fixity"  # the original was checked against its SHA-256
    CREATED = "created"  # a collection was created
    RESOLVED = "resolved"  # a conflict between a sidecar or sheet and a person's edit was settled
    REPAIRED = "repaired"  # a changed or missing copy of the original was restored from another


@dataclass(frozen=True)
class Event:
    """One entry of an item's preservation history."""

    id: int
    key: str
    at: str
    action: str  # an EventAction's value, as the catalogue stores it
    field: str | None = None
    old: Any = None
    new: Any = None
    detail: dict[str, Any] = dataclasses.field(default_factory=dict, hash=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Derivative:
    """A file made from an original by a named spec."""

    key: str
    spec: str
    path: str  # archive-relative POSIX path
    fingerprint: str
    mime: str
    width: int | None
    height: int | None
    size: int
    made_at: str
    # A camera RAW's derivatives: "embedded preview" or "developed with LibRaw"; else None.
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SourceRecord:
    """What the catalogue remembers of a source file from the last run that saw it."""

    path: str
    key: str | None
    size: int
    mtime_ns: int
    sidecar_digest: str | None
