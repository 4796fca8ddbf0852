-- Derby's V2, as db/migration/V2__room_sequence.sql: each room's last seq, the sequencer
-- every node shares (see there).
create table parley_room (
    room     varchar(64) not null primary key,
    last_seq bigint      not null
);
insert into parley_room (room, last_seq) select room, max(seq) from parley_message group by room;
