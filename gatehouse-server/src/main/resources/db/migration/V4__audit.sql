-- Version 4: the audit trail, a hash chain (see gatehouse-core dev.gatehouse.core.audit.AuditChain).

-- One row per record. `record` is the canonical JSON that is hashed; the other columns are copies of some of its
-- fields, for search (verification checks that they agree with `record`).
create table audit_record (
    seq         bigint                   not null primary key,
    rec_day     date                     not null,   -- the UTC day of `at` (never earlier than the record before)
    at          timestamp with time zone not null,
    type        varchar(64)              not null,
    issuer      varchar(512),
    subject     varchar(512),
    client_id   varchar(512),
    target      varchar(64),
    tool        varchar(256),
    outcome     varchar(32),
    record      text                     not null,
    prev_hash   varchar(64)              not null,
    hash        varchar(64)              not null
);
create index audit_record_day on audit_record (rec_day, seq);
create index audit_record_subject on audit_record (subject, seq);
create index audit_record_target on audit_record (target, seq);
create index audit_record_at on audit_record (at);

-- The head of the chain: one row, locked by the writer of each batch and by checkpointing (so instances append in
-- turn). Days never go backwards along the chain, and a day that has a checkpoint gets no more records: a record
-- that arrives late is filed under the next open day (its `at` is kept).
create table audit_chain_head (
    id                    integer     not null primary key,
    last_seq              bigint      not null,
    last_hash             varchar(64) not null,
    last_day              date,
    checkpointed_through  date
);
insert into audit_chain_head (id, last_seq, last_hash) values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- A signed checkpoint per finished day (Ed25519 over AuditChain.checkpointPayload). Kept after retention deletes
-- the day's records, so that the chain stays verifiable from there.
create table audit_checkpoint (
    cp_day      date                     not null primary key,
    first_seq   bigint                   not null,
    last_seq    bigint                   not null,
    records     bigint                   not null,
    prev_hash   varchar(64)              not null,   -- the hash the day's first record is chained to
    last_hash   varchar(64)              not null,
    signature   varchar(200)             not null,   -- base64url
    public_key  varchar(200)             not null,   -- base64url X.509 of the signing key
    created_at  timestamp with time zone not null,
    records_deleted_at timestamp with time zone
);
