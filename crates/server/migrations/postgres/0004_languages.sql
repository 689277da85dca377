-- 0004 (PostgreSQL twin of ../0004_languages.sql): the languages a store's
-- customers read, comma-separated, most used first.
ALTER TABLE stores ADD COLUMN languages TEXT NOT NULL DEFAULT 'en,id,ms,sv';
