-- A curator's work is never lost: where each field's value came from, what each sidecar said
-- when it was last read, conflicts, values not accepted, and the date the file itself gives.
ALTER TABLE items ADD COLUMN taken_at_original TEXT;
UPDATE items SET taken_at_original = taken_at;

-- The last change of each field: how it came (sidecar, xmp-sidecar, embedded, edit,
-- spreadsheet, app, undo, timeshift, conflicts), when, by whom, and from which file or row.
CREATE TABLE provenance (
    key    TEXT NOT NULL REFERENCES items (key) ON DELETE CASCADE,
    field  TEXT NOT NULL,
    via    TEXT NOT NULL,
    at     TEXT NOT NULL,
    actor  TEXT,
    origin TEXT,
    PRIMARY KEY (key, field)
);

-- The value a source (the sidecars of an item) gave a field when it was last read, as JSON:
-- the base of the three-way check that keeps a person's edit from being overwritten unseen.
CREATE TABLE seen (
    key    TEXT NOT NULL REFERENCES items (key) ON DELETE CASCADE,
    source TEXT NOT NULL,
    field  TEXT NOT NULL,
    value  TEXT NOT NULL,
    at     TEXT NOT NULL,
    PRIMARY KEY (key, source, field)
);

-- A new value from a sidecar or a spreadsheet that met a value a person set: nothing was
-- changed. theirs and base are JSON (base NULL when there was none).
CREATE TABLE conflicts (
    key    TEXT NOT NULL REFERENCES items (key) ON DELETE CASCADE,
    field  TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('sidecar', 'spreadsheet')),
    theirs TEXT NOT NULL,
    base   TEXT,
    via    TEXT NOT NULL,
    origin TEXT,
    at     TEXT NOT NULL,
    PRIMARY KEY (key, field, source)
);

-- Values a sidecar or the file gave that were not stored (unknown term, bad date, unknown
-- key), kept until they are fixed or accepted.
CREATE TABLE not_accepted (
    key    TEXT NOT NULL REFERENCES items (key) ON DELETE CASCADE,
    field  TEXT NOT NULL,
    value  TEXT NOT NULL,
    reason TEXT NOT NULL,
    via    TEXT NOT NULL,
    origin TEXT,
    at     TEXT NOT NULL,
    PRIMARY KEY (key, field, value)
);
