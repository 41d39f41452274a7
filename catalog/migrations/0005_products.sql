-- Products: items the NGO sells. `price` is "amount CURRENCY" ("25 EUR", "120.50 TJS"),
-- `dimensions` free text ("200 × 140 cm"), `available` the pieces for sale (0 = sold out).
ALTER TABLE items ADD COLUMN price TEXT;
ALTER TABLE items ADD COLUMN dimensions TEXT;
ALTER TABLE items ADD COLUMN available INTEGER;
