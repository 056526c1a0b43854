-- 0016: statistics "carried over from the previous period" (số kỳ trước
-- chuyển qua, src/domain/stats.h, docs/statistics.md): received minus ended
-- over every day row before the period. Whole months read stats_unit_month
-- or stats_month; with a procedure filter the day rows of that procedure
-- before the period are read, by this index rather than the whole table.
CREATE INDEX stats_day_procedure ON stats_day (procedure_code, day);
