-- month_queries.sql — the render baseline of bench/run: the aggregates that a
-- bulletin of month M needs, computed by the sqlite3 shell straight from the
-- plain table t that '.mode csv' + '.import big.csv t' made of the CSV (all
-- columns TEXT, no index).  talot render must do the whole bulletin (these
-- numbers plus the PDF and the XLSX) in at most a tenth of this time.
--
-- bench/run substitutes the month bounds (ISO dates, compared as text):
--   @M_FIRST@ @M_LAST@   first and last day of M
--   @PREV_FIRST@         first day of M-1
--   @SIX_FIRST@          first day of M-5
-- Results go to /dev/null; only the time counts.

-- 1. Totals of M: observed sensor-days N(M), accesses A(M), sources S(M).
SELECT count(*), sum(a), sum(s) FROM (
  SELECT day, sensor, sum(accesses) AS a, sum(sources) AS s FROM t
  WHERE day BETWEEN '@M_FIRST@' AND '@M_LAST@' GROUP BY day, sensor);

-- 1b. Observed sensors per day of M (the daily figures are per sensor).
SELECT day, count(DISTINCT sensor) FROM t
WHERE day BETWEEN '@M_FIRST@' AND '@M_LAST@' GROUP BY day;

-- 2. Per port over M (top 10 + other, pies 2.3.x).
SELECT proto, port, sum(accesses) AS a, sum(sources) FROM t
WHERE day BETWEEN '@M_FIRST@' AND '@M_LAST@'
GROUP BY proto, port ORDER BY a DESC;

-- 3. Per country over M (pies 2.4.2, 2.4.4).
SELECT country, sum(accesses) AS a, sum(sources) FROM t
WHERE day BETWEEN '@M_FIRST@' AND '@M_LAST@'
GROUP BY country ORDER BY a DESC;

-- 4. Per day x port over M (figures 2.2.1, 2.2.2).
SELECT day, proto, port, sum(accesses), sum(sources) FROM t
WHERE day BETWEEN '@M_FIRST@' AND '@M_LAST@'
GROUP BY day, proto, port;

-- 5. Per day x country over M (figures 2.4.1, 2.4.3).
SELECT day, country, sum(accesses), sum(sources) FROM t
WHERE day BETWEEN '@M_FIRST@' AND '@M_LAST@'
GROUP BY day, country;

-- 6. Six months M-5..M: totals and sensor-days (figure 1.1).
SELECT substr(day, 1, 7) AS month, count(*), sum(a), sum(s) FROM (
  SELECT day, sensor, sum(accesses) AS a, sum(sources) AS s FROM t
  WHERE day BETWEEN '@SIX_FIRST@' AND '@M_LAST@' GROUP BY day, sensor)
GROUP BY month;

-- 7. Six months x port (figures 3.1.x).
SELECT substr(day, 1, 7) AS month, proto, port, sum(accesses), sum(sources)
FROM t WHERE day BETWEEN '@SIX_FIRST@' AND '@M_LAST@'
GROUP BY month, proto, port;

-- 8. Six months x country (figures 3.2.x).
SELECT substr(day, 1, 7) AS month, country, sum(accesses), sum(sources)
FROM t WHERE day BETWEEN '@SIX_FIRST@' AND '@M_LAST@'
GROUP BY month, country;

-- 9. Notable ports (2.1): the two ports with the largest increase against
-- M-1 (at least 1.5x), then per day x country over M-1..M for them.
CREATE TEMP TABLE notable AS
WITH pm AS (
  SELECT proto, port,
         sum(CASE WHEN day >= '@M_FIRST@' THEN accesses ELSE 0 END) AS cur,
         sum(CASE WHEN day < '@M_FIRST@' THEN accesses ELSE 0 END) AS prev
  FROM t WHERE day BETWEEN '@PREV_FIRST@' AND '@M_LAST@'
  GROUP BY proto, port)
SELECT proto, port FROM pm WHERE cur >= 1.5 * prev
ORDER BY cur - prev DESC LIMIT 2;
SELECT t.proto, t.port, day, country, sum(accesses), sum(sources)
FROM t JOIN notable USING (proto, port)
WHERE day BETWEEN '@PREV_FIRST@' AND '@M_LAST@'
GROUP BY t.proto, t.port, day, country;
