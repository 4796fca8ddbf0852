-- Chat history: one row per stored message, seqs contiguous per room from 1.
-- The same script runs on H2 and PostgreSQL.
create table parley_message (
    room     varchar(64)   not null,
    seq      bigint        not null,
    username varchar(128)  not null,
    body     varchar(8000) not null,
    ts       bigint        not null,  -- epoch milliseconds, UTC
    primary key (room, seq)
);
