-- Chat history: one row per stored message, seqs contiguous per room from 1.
-- The same script runs on H2 and PostgreSQL. The text is UTF-8 in a byte column:
-- PostgreSQL's text types refuse U+0000, which a chat message may carry.
create table parley_message (
    room     varchar(64)   not null,
    seq      bigint        not null,
    username varchar(128)  not null,
    body     bytea         not null,  -- UTF-8
    ts       bigint        not null,  -- epoch milliseconds, UTC
    primary key (room, seq)
);
