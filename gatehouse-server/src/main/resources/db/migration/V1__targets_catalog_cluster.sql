-- Gatehouse schema, version 1: targets, their catalog, MCP session state, and the cluster event log.
-- Written in the SQL common to PostgreSQL and H2 (which runs in PostgreSQL mode).

create table target (
    name        varchar(48)              not null primary key,
    definition  varchar                  not null,   -- the target in the registry schema (JSON), secret references only
    source      varchar(16)              not null,   -- 'api' or 'file'
    enabled     boolean                  not null,
    revision    bigint                   not null,
    created_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null
);

-- What each target offers, as last read from it. kind: tool, prompt, resource, template.
create table catalog_entry (
    target       varchar(48)              not null,
    kind         varchar(16)              not null,
    name         varchar(2048)            not null,  -- upstream tool/prompt name, resource URI or URI template
    definition   varchar                  not null,  -- the upstream JSON object, unchanged
    hash         varchar(64)              not null,  -- SHA-256 of the canonical definition
    first_seen   timestamp with time zone not null,
    last_changed timestamp with time zone not null,
    primary key (target, kind, name)
);

-- Sync status per target.
create table catalog_sync (
    target        varchar(48)              not null primary key,
    status        varchar(16)              not null,  -- 'ok', 'failed', 'pending'
    message       varchar(1024),
    synced_at     timestamp with time zone,
    attempted_at  timestamp with time zone not null,
    generation    bigint                   not null
);

-- A definition that changed between two synchronisations ("rug pull" detection).
create table catalog_drift (
    id              bigint generated always as identity primary key,
    target          varchar(48)              not null,
    kind            varchar(16)              not null,
    name            varchar(2048)            not null,
    change          varchar(16)              not null,  -- 'changed', 'added', 'removed'
    old_hash        varchar(64),
    new_hash        varchar(64),
    old_definition  varchar,
    new_definition  varchar,
    detected_at     timestamp with time zone not null
);
create index catalog_drift_target on catalog_drift (target, detected_at);

-- Mutable state of an MCP session (the immutable part is sealed into the session id).
create table mcp_session_state (
    session_key  varchar(64)              not null primary key,  -- hex SHA-256 of the session id
    log_level    varchar(16),
    ended_at     timestamp with time zone,
    expires_at   timestamp with time zone not null
);

create table mcp_session_subscription (
    session_key  varchar(64)              not null,
    uri          varchar(2048)            not null,
    expires_at   timestamp with time zone not null,
    primary key (session_key, uri)
);

-- Events every instance reads: session ended, catalog changed, cancellation, notifications for held streams.
create table cluster_event (
    id          bigint generated always as identity primary key,
    origin      varchar(64)              not null,
    kind        varchar(32)              not null,
    payload     varchar                  not null,
    created_at  timestamp with time zone not null
);
create index cluster_event_created on cluster_event (created_at);
