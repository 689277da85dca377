-- 0008: places have names people read.
--
-- touchpoints.name: the display name staff and customers see ("Checkout 2"), set with
-- `add-store --touchpoint checkout-2="Checkout 2"`; empty shows the slug as words.
ALTER TABLE touchpoints ADD COLUMN name TEXT NOT NULL DEFAULT '';
