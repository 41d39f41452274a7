-- The first catalogue: items, their sources, events and derivatives.
CREATE TABLE items (
    key           TEXT PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('photo', 'video')),
    mime          TEXT NOT NULL,
    size          INTEGER NOT NULL,
    original      TEXT NOT NULL,
    width         INTEGER,
    height        INTEGER,
    orientation   INTEGER,
    rotation      INTEGER,
    duration      REAL,
    frame_rate    REAL,
    video_codec   TEXT,
    audio_codec   TEXT,
    taken_at      TEXT,
    camera_make   TEXT,
    camera_model  TEXT,
    lens          TEXT,
    exposure_time REAL,
    f_number      REAL,
    iso           INTEGER,
    focal_length  REAL,
    gps_lat       REAL,
    gps_lon       REAL,
    gps_alt       REAL,
    ingested_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    title         TEXT,
    description   TEXT,
    maker         TEXT,
    photographer  TEXT,
    place         TEXT,
    event         TEXT,
    language      TEXT,
    rights        TEXT,
    keywords      TEXT NOT NULL DEFAULT '[]',
    technique     TEXT NOT NULL DEFAULT '[]',
    material      TEXT NOT NULL DEFAULT '[]',
    object_type   TEXT NOT NULL DEFAULT '[]',
    process_step  TEXT NOT NULL DEFAULT '[]',
    collections   TEXT NOT NULL DEFAULT '[]',
    consent       TEXT NOT NULL DEFAULT 'internal'
                  CHECK (consent IN ('public', 'internal', 'withheld')),
    extra         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX items_taken_at ON items (taken_at);
CREATE INDEX items_consent ON items (consent);

CREATE TABLE sources (
    path           TEXT PRIMARY KEY,
    key            TEXT REFERENCES items (key) ON DELETE SET NULL,
    size           INTEGER NOT NULL,
    mtime_ns       INTEGER NOT NULL,
    sidecar_digest TEXT,
    seen_at        TEXT NOT NULL
);
CREATE INDEX sources_key ON sources (key);

CREATE TABLE events (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    key    TEXT NOT NULL,
    at     TEXT NOT NULL,
    action TEXT NOT NULL,
    field  TEXT,
    old    TEXT,
    new    TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_key ON events (key);

CREATE TABLE derivatives (
    key         TEXT NOT NULL REFERENCES items (key) ON DELETE CASCADE,
    spec        TEXT NOT NULL,
    path        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    mime        TEXT NOT NULL,
    width       INTEGER,
    height      INTEGER,
    size        INTEGER NOT NULL,
    made_at     TEXT NOT NULL,
    PRIMARY KEY (key, spec)
);

-- A counter bumped by every change to items; the index stores the value it was built at.
CREATE TABLE state (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO state (name, value) VALUES ('generation', '0');
