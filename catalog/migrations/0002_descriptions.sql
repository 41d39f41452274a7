-- Titles and descriptions per language, consent details, video chapters, collections.
ALTER TABLE items ADD COLUMN title_en TEXT;
ALTER TABLE items ADD COLUMN title_ru TEXT;
ALTER TABLE items ADD COLUMN title_tg TEXT;
ALTER TABLE items ADD COLUMN title_et TEXT;
ALTER TABLE items ADD COLUMN description_en TEXT;
ALTER TABLE items ADD COLUMN description_ru TEXT;
ALTER TABLE items ADD COLUMN description_tg TEXT;
ALTER TABLE items ADD COLUMN description_et TEXT;
ALTER TABLE items ADD COLUMN consent_by TEXT;
ALTER TABLE items ADD COLUMN consent_date TEXT;
ALTER TABLE items ADD COLUMN consent_note TEXT;
-- A JSON array of {"start", "end", "process_step", "caption": {lang: text}}, by start time.
ALTER TABLE items ADD COLUMN chapters TEXT NOT NULL DEFAULT '[]';

-- Collections and events (an event is a collection with dates and a place). Membership is
-- the items' `collections` field; `item_order` lists the keys placed by hand, in order.
CREATE TABLE collections (
    slug        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL DEFAULT 'collection' CHECK (kind IN ('collection', 'event')),
    title       TEXT NOT NULL DEFAULT '{}',
    description TEXT NOT NULL DEFAULT '{}',
    date_start  TEXT,
    date_end    TEXT,
    place       TEXT,
    item_order  TEXT NOT NULL DEFAULT '[]',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
