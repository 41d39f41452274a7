-- What a derivative was made from when that is not simply the original: a camera RAW's
-- "embedded preview", or the RAW "developed with LibRaw". NULL for every other derivative.
ALTER TABLE derivatives ADD COLUMN source TEXT;
