-- talot's ClickHouse schema, version 2, for a sharded cluster.
--
-- Run this file on EVERY server of the cluster (talot does not create a
-- cluster's schema; it checks that it is there):
--     clickhouse-client --multiquery --database DB < clickhouse-cluster.sql
-- The cluster is named `talot` in the servers' <remote_servers>; rename it
-- in the Distributed(...) lines below if yours has another name.
--
-- Each server holds X_local tables (the same as clickhouse-schema.sql's X)
-- and their materialized views; the Distributed tables X over them are what
-- talot reads and writes.  Rows are sharded by sensor, so that a sensor-day
-- lives on one shard.  See docs/clickhouse.md.

CREATE TABLE IF NOT EXISTS imports_local (
    import_id UInt64,
    committed DateTime
) ENGINE = MergeTree ORDER BY import_id;

-- the imported rows: one per day, sensor, protocol, port and country
CREATE TABLE IF NOT EXISTS detail_local (
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
CREATE TABLE IF NOT EXISTS sensor_day_local (
    import_id UInt64,
    day Date,
    sensor String,
    days Int64,
    accesses Int64,
    sources Int64
) ENGINE = SummingMergeTree((days, accesses, sources))
  PARTITION BY toYYYYMM(day) ORDER BY (day, sensor, import_id);

-- the rollups a render reads, kept by materialized views over detail
CREATE TABLE IF NOT EXISTS day_port_local (
    import_id UInt64,
    day Date,
    proto UInt8,
    port UInt16,
    accesses Int64,
    sources Int64
) ENGINE = SummingMergeTree((accesses, sources))
  PARTITION BY toYYYYMM(day) ORDER BY (day, proto, port, import_id);

CREATE TABLE IF NOT EXISTS day_country_local (
    import_id UInt64,
    day Date,
    country FixedString(2),
    accesses Int64,
    sources Int64
) ENGINE = SummingMergeTree((accesses, sources))
  PARTITION BY toYYYYMM(day) ORDER BY (day, country, import_id);

CREATE TABLE IF NOT EXISTS port_day_country_local (
    import_id UInt64,
    day Date,
    proto UInt8,
    port UInt16,
    country FixedString(2),
    accesses Int64,
    sources Int64
) ENGINE = SummingMergeTree((accesses, sources))
  PARTITION BY toYYYYMM(day) ORDER BY (proto, port, day, country, import_id);

CREATE TABLE IF NOT EXISTS month_port_local (
    import_id UInt64,
    month UInt32,
    proto UInt8,
    port UInt16,
    accesses Int64,
    sources Int64
) ENGINE = SummingMergeTree((accesses, sources))
  ORDER BY (month, proto, port, import_id);

CREATE TABLE IF NOT EXISTS month_country_local (
    import_id UInt64,
    month UInt32,
    country FixedString(2),
    accesses Int64,
    sources Int64
) ENGINE = SummingMergeTree((accesses, sources))
  ORDER BY (month, country, import_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS day_port_local_mv TO day_port_local AS
  SELECT import_id, day, proto, port,
         sum(accesses) AS accesses, sum(sources) AS sources
  FROM detail_local GROUP BY import_id, day, proto, port;

CREATE MATERIALIZED VIEW IF NOT EXISTS day_country_local_mv TO day_country_local AS
  SELECT import_id, day, country,
         sum(accesses) AS accesses, sum(sources) AS sources
  FROM detail_local GROUP BY import_id, day, country;

CREATE MATERIALIZED VIEW IF NOT EXISTS port_day_country_local_mv TO port_day_country_local AS
  SELECT import_id, day, proto, port, country,
         sum(accesses) AS accesses, sum(sources) AS sources
  FROM detail_local GROUP BY import_id, day, proto, port, country;

CREATE MATERIALIZED VIEW IF NOT EXISTS month_port_local_mv TO month_port_local AS
  SELECT import_id, toYYYYMM(day) AS month, proto, port,
         sum(accesses) AS accesses, sum(sources) AS sources
  FROM detail_local GROUP BY import_id, month, proto, port;

CREATE MATERIALIZED VIEW IF NOT EXISTS month_country_local_mv TO month_country_local AS
  SELECT import_id, toYYYYMM(day) AS month, country,
         sum(accesses) AS accesses, sum(sources) AS sources
  FROM detail_local GROUP BY import_id, month, country;

-- raw events (one per packet or flow) streamed in by a telescope; time in
-- UTC, src the source address as text
-- each month's top lists (see clickhouse-schema.sql's month_top)
CREATE TABLE IF NOT EXISTS month_top_local (
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

CREATE TABLE IF NOT EXISTS raw_events_local (
    time DateTime,
    sensor String,
    src String,
    proto UInt8,
    port UInt16,
    country FixedString(2)
) ENGINE = MergeTree PARTITION BY toYYYYMM(time) ORDER BY (sensor, time);

-- raw events aggregated into talot's rows: accesses = packets, sources =
-- distinct source addresses (uniqExact), exact whatever the insert batches
CREATE TABLE IF NOT EXISTS raw_cells_local (
    day Date,
    sensor String,
    proto UInt8,
    port UInt16,
    country FixedString(2),
    accesses AggregateFunction(count),
    sources AggregateFunction(uniqExact, String)
) ENGINE = AggregatingMergeTree PARTITION BY toYYYYMM(day)
  ORDER BY (day, sensor, proto, port, country);

CREATE MATERIALIZED VIEW IF NOT EXISTS raw_cells_local_mv TO raw_cells_local AS
  SELECT toDate(time, 'UTC') AS day, sensor, proto, port, country,
         countState() AS accesses, uniqExactState(src) AS sources
  FROM raw_events_local GROUP BY day, sensor, proto, port, country;

-- the tables talot reads and writes
CREATE TABLE IF NOT EXISTS imports AS imports_local
  ENGINE = Distributed(talot, currentDatabase(), imports_local, rand());

CREATE TABLE IF NOT EXISTS detail AS detail_local
  ENGINE = Distributed(talot, currentDatabase(), detail_local, cityHash64(sensor));

CREATE TABLE IF NOT EXISTS sensor_day AS sensor_day_local
  ENGINE = Distributed(talot, currentDatabase(), sensor_day_local, cityHash64(sensor));

CREATE TABLE IF NOT EXISTS day_port AS day_port_local
  ENGINE = Distributed(talot, currentDatabase(), day_port_local, rand());

CREATE TABLE IF NOT EXISTS day_country AS day_country_local
  ENGINE = Distributed(talot, currentDatabase(), day_country_local, rand());

CREATE TABLE IF NOT EXISTS port_day_country AS port_day_country_local
  ENGINE = Distributed(talot, currentDatabase(), port_day_country_local, rand());

CREATE TABLE IF NOT EXISTS month_port AS month_port_local
  ENGINE = Distributed(talot, currentDatabase(), month_port_local, rand());

CREATE TABLE IF NOT EXISTS month_country AS month_country_local
  ENGINE = Distributed(talot, currentDatabase(), month_country_local, rand());

-- one month's top lists on one shard (a reader sees them whole or not)
CREATE TABLE IF NOT EXISTS month_top AS month_top_local
  ENGINE = Distributed(talot, currentDatabase(), month_top_local, month);

CREATE TABLE IF NOT EXISTS raw_events AS raw_events_local
  ENGINE = Distributed(talot, currentDatabase(), raw_events_local, cityHash64(sensor));

CREATE TABLE IF NOT EXISTS raw_cells AS raw_cells_local
  ENGINE = Distributed(talot, currentDatabase(), raw_cells_local, rand());

-- the version marker, written last, on every server
CREATE TABLE IF NOT EXISTS talot_schema (
    version UInt32,
    kind String
) ENGINE = TinyLog;

INSERT INTO talot_schema VALUES (2, 'cluster');
