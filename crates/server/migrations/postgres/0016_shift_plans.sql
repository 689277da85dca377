-- 0016: a store's shift plan, as the core's ShiftPlan in JSON: named shifts with their hours
-- per weekday (store-local) and who works them. '[]' is no plan: "on shift" is then read from
-- the steps people took.
ALTER TABLE stores ADD COLUMN shifts TEXT NOT NULL DEFAULT '[]';
