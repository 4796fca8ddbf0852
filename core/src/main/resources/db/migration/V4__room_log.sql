-- Protocol 1.1: the room's log. Edits, deletes and reactions are rows of parley_message
-- too, each under the room's next seq; kind says which (0 message, 1 edit, 2 delete,
-- 3 react). Rows stored before this version are messages without a cid. A message's row
-- keeps its current state (body after the newest edit, edited, edits, deleted), so that
-- a page of history is read from its own rows; the reactions on a message are rows of
-- parley_reaction, read for a page's range of seqs.
alter table parley_message add column kind smallint default 0 not null;
alter table parley_message add column cid varchar(256);          -- exactly-once: the client's id, per user
alter table parley_message add column ref_seq bigint;               -- edit, delete, react: the message; message: reply_to
alter table parley_message add column emoji varchar(64);         -- react
alter table parley_message add column emoji_on boolean;          -- react: added (true) or removed
alter table parley_message add column edited bigint;             -- message: its newest edit's ts, epoch ms
alter table parley_message add column edits integer default 0 not null;
alter table parley_message add column deleted boolean default false not null;
-- a user's cid in a room: what a resent frame is looked up by
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
