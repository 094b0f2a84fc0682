-- Version 6: calls under way, so that a crash loses no call silently (ADR 0014).

-- A row per call that has gone to a target and not yet ended: written before the call is forwarded, deleted in the
-- transaction that appends the call's record to the chain. A row left by an instance that stopped without ending
-- its calls (a crash, a kill) becomes a chained record with outcome `interrupted`.
create table audit_in_flight (
    call_id     varchar(64)              not null primary key,
    instance    varchar(64)              not null,
    started_at  timestamp with time zone not null,
    type        varchar(64)              not null,
    fields      text                     not null    -- JSON: what was known of the call when it started
);
create index audit_in_flight_instance on audit_in_flight (instance);

-- Each running instance's last sign of life, refreshed by its audit writer: the in-flight rows of an instance not
-- seen for `gatehouse.audit.instance-timeout` are taken over by another.
create table audit_writer (
    instance  varchar(64)              not null primary key,
    seen_at   timestamp with time zone not null
);
