-- 0004: the languages a store's customers read, as comma-separated tags of
-- recovery-core's LANGUAGES (en, id, ms, sv), most used first; its QR
-- stickers invite customers in these. Existing stores get all four.
ALTER TABLE stores ADD COLUMN languages TEXT NOT NULL DEFAULT 'en,id,ms,sv';
