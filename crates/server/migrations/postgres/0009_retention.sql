-- 0009: forgetting customers.
--
-- stores.retention_days: days after a case's close when its customer's name and contact are
-- erased from its filing (an `erased` event tells the tablets to do the same).
ALTER TABLE stores ADD COLUMN retention_days BIGINT NOT NULL DEFAULT 365 CHECK (retention_days >= 0);
