-- talot's ClickHouse schema, version 2, for a single server.
--
-- talot runs these statements itself when it opens an empty database for
-- an import; docs/clickhouse.md explains every table.  For a sharded
-- installation use clickhouse-cluster.sql instead.  Only features that
-- ClickHouse 18.16 and current releases both have are used.
--
-- Every row talot writes carries the id of its import; an import becomes
-- visible when its row in `imports` is written (its commit record).  Rows of
-- imports without a commit record are never read.  A re-imported sensor-day
-- is replaced by writing its stored rows negated, then the new ones, in the
-- same import: the sums net out.

CREATE TABLE IF NOT EXISTS imports (
    import_id UInt64,
    committed DateTime
) ENGINE = MergeTree ORDER BY import_id;

-- the imported rows: one per day, sensor, protocol, port and country
CREATE TABLE IF NOT EXISTS detail (
    import_id UInt64,
    day Date,
    sensor String,
    proto UInt8,
    port UInt16,
    country FixedString(2),
    accesses Int64,
    sources Int64
) ENGINE = MergeTree PARTITION BY toYYYYMM(day)
  ORDER BY (day, sensor, proto, port, country);

-- one row per observed sensor-day (days = 1; -1 where it is replaced)
CREATE TABLE IF NOT EXISTS sensor_day (
    import_id UInt64,
    day Date,
    sensor String,
    days Int64,
    accesses Int64,
    sources Int64
) ENGINE = SummingMergeTree((days, accesses, sources))
  PARTITION BY toYYYYMM(day) ORDER BY (day, sensor, import_id);

-- the rollups a render reads, kept by materialized views over detail
CREATE TABLE IF NOT EXISTS day_port (
    import_id UInt64,
    day Date,
    proto UInt8,
    port UInt16,
    accesses Int64,
    sources Int64
) ENGINE = SummingMergeTree((accesses, sources))
  PARTITION BY toYYYYMM(day) ORDER BY (day, proto, port, import_id);

CREATE TABLE IF NOT EXISTS day_country (
    import_id UInt64,
    day Date,
    country FixedString(2),
    accesses Int64,
    sources Int64
) ENGINE = SummingMergeTree((accesses, sources))
  PARTITION BY toYYYYMM(day) ORDER BY (day, country, import_id);

CREATE TABLE IF NOT EXISTS port_day_country (
    import_id UInt64,
    day Date,
    proto UInt8,
    port UInt16,
    country FixedString(2),
    accesses Int64,
    sources Int64
) ENGINE = SummingMergeTree((accesses, sources))
  PARTITION BY toYYYYMM(day) ORDER BY (proto, port, day, country, import_id);

CREATE TABLE IF NOT EXISTS month_port (
    import_id UInt64,
    month UInt32,
    proto UInt8,
    port UInt16,
    accesses Int64,
    sources Int64
) ENGINE = SummingMergeTree((accesses, sources))
  ORDER BY (month, proto, port, import_id);

CREATE TABLE IF NOT EXISTS month_country (
    import_id UInt64,
    month UInt32,
    country FixedString(2),
    accesses Int64,
    sources Int64
) ENGINE = SummingMergeTree((accesses, sources))
  ORDER BY (month, country, import_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS day_port_mv TO day_port AS
  SELECT import_id, day, proto, port,
         sum(accesses) AS accesses, sum(sources) AS sources
  FROM detail GROUP BY import_id, day, proto, port;

CREATE MATERIALIZED VIEW IF NOT EXISTS day_country_mv TO day_country AS
  SELECT import_id, day, country,
         sum(accesses) AS accesses, sum(sources) AS sources
  FROM detail GROUP BY import_id, day, country;

CREATE MATERIALIZED VIEW IF NOT EXISTS port_day_country_mv TO port_day_country AS
  SELECT import_id, day, proto, port, country,
         sum(accesses) AS accesses, sum(sources) AS sources
  FROM detail GROUP BY import_id, day, proto, port, country;

CREATE MATERIALIZED VIEW IF NOT EXISTS month_port_mv TO month_port AS
  SELECT import_id, toYYYYMM(day) AS month, proto, port,
         sum(accesses) AS accesses, sum(sources) AS sources
  FROM detail GROUP BY import_id, month, proto, port;

CREATE MATERIALIZED VIEW IF NOT EXISTS month_country_mv TO month_country AS
  SELECT import_id, toYYYYMM(day) AS month, country,
         sum(accesses) AS accesses, sum(sources) AS sources
  FROM detail GROUP BY import_id, month, country;

-- each month's top lists (the colours of the figures), written by an import
-- before its commit record for the months it touches: list 0 is a header row
-- (one per month and basis), lists 1..4 the top ports by accesses, by
-- sources, the top countries by accesses, by sources (at most 10 rows each).
-- (n, idsum, idmax) is the basis: the count, wrapping sum and largest id of
-- the committed imports with sensor_day rows in the month that the lists
-- were computed over; a reader uses a month's lists only when its own
-- committed imports give the same basis (docs/clickhouse.md).
CREATE TABLE IF NOT EXISTS month_top (
    month UInt32,
    n UInt64,
    idsum UInt64,
    idmax UInt64,
    list UInt8,
    proto UInt8,
    port UInt16,
    country FixedString(2),
    accesses Int64,
    sources Int64
) ENGINE = MergeTree ORDER BY (month, n, idsum, idmax, list);

-- raw events (one per packet or flow) streamed in by a telescope; time in
-- UTC, src the source address as text
CREATE TABLE IF NOT EXISTS raw_events (
    time DateTime,
    sensor String,
    src String,
    proto UInt8,
    port UInt16,
    country FixedString(2)
) ENGINE = MergeTree PARTITION BY toYYYYMM(time) ORDER BY (sensor, time);

-- raw events aggregated into talot's rows: accesses = packets, sources =
-- distinct source addresses (uniqExact), exact whatever the insert batches
CREATE TABLE IF NOT EXISTS raw_cells (
    day Date,
    sensor String,
    proto UInt8,
    port UInt16,
    country FixedString(2),
    accesses AggregateFunction(count),
    sources AggregateFunction(uniqExact, String)
) ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(day)
  ORDER BY (day, sensor, proto, port, country);

CREATE MATERIALIZED VIEW IF NOT EXISTS raw_cells_mv TO raw_cells AS
  SELECT toDate(time, 'UTC') AS day, sensor, proto, port, country,
         countState() AS accesses, uniqExactState(src) AS sources
  FROM raw_events GROUP BY day, sensor, proto, port, country;

-- the version marker, written last: a schema is complete when it has a row
CREATE TABLE IF NOT EXISTS talot_schema (
    version UInt32,
    kind String
) ENGINE = TinyLog;

INSERT INTO talot_schema VALUES (2, 'single');
