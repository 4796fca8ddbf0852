-- Derby's V1 (db/migration/V1__messages.sql for H2 and PostgreSQL): the same table, the
-- text as UTF-8 in a blob, since Derby has no bytea. 16M (16777216 bytes) holds the text
-- of the largest frame PARLEY_MAX_FRAME allows; Derby's varchar for bit data stops at
-- 32672 bytes. A new version is written once per location, under the same number.
create table parley_message (
    room     varchar(64)   not null,
    seq      bigint        not null,
    username varchar(128)  not null,
    body     blob(16M)     not null,  -- UTF-8
    ts       bigint        not null,  -- epoch milliseconds, UTC
    primary key (room, seq)
);
-- A room's newest messages (the store's "order by seq desc fetch first ? rows only"):
-- without an index in that order Derby sorted the whole room, 2 s for a room of 200,000
-- messages where H2 and PostgreSQL take their primary key backwards; 2 ms with it.
create index parley_message_newest_first on parley_message (room, seq desc);
