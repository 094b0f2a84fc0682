-- Version 2: access policies (versioned; the highest version is in force) and the principals seen.

create table access_policy (
    version     bigint                   not null primary key,
    document    varchar                  not null,   -- the policy document (JSON)
    created_at  timestamp with time zone not null,
    created_by  varchar(512)             not null,   -- issuer and subject of the admin who saved it
    comment     varchar(1024)
);

-- Who has called the gateway, with the roles and scopes of their latest token, for explanations.
create table principal (
    issuer      varchar(512)             not null,
    subject     varchar(512)             not null,
    client_id   varchar(512),
    roles       varchar                  not null,   -- JSON array
    scopes      varchar                  not null,   -- JSON array
    first_seen  timestamp with time zone not null,
    last_seen   timestamp with time zone not null,
    primary key (issuer, subject)
);
