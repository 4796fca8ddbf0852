-- Derby's V4, as db/migration/V4__room_log.sql: the room's log (protocol 1.1).
alter table parley_message add column kind smallint not null default 0;
alter table parley_message add column cid varchar(256);
alter table parley_message add column ref_seq bigint;
alter table parley_message add column emoji varchar(64);
alter table parley_message add column emoji_on boolean;
alter table parley_message add column edited bigint;
alter table parley_message add column edits integer not null default 0;
alter table parley_message add column deleted boolean not null default false;
create index parley_message_cid on parley_message (room, username, cid);
create table parley_reaction (
    room     varchar(64)  not null,
    ref_seq  bigint       not null,
    emoji    varchar(64)  not null,
    username varchar(128) not null,
    primary key (room, ref_seq, emoji, username)
);
-- read positions: per user and room, the largest seq the user said it has seen
create table parley_read (
    room     varchar(64)  not null,
    username varchar(128) not null,
    seq      bigint       not null,
    primary key (room, username)
);
-- moderators' mutes (kind 0) and bans (kind 1), until an epoch ms (9223372036854775807: for ever)
create table parley_sanction (
    room     varchar(64)  not null,
    username varchar(128) not null,
    kind     smallint     not null,
    until_ms bigint       not null,
    primary key (room, username, kind)
);
