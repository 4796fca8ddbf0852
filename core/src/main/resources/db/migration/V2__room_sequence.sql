-- Each room's last seq, the sequencer every node shares: a commit takes its seqs with
-- update ... set last_seq = last_seq + n, whose row lock orders concurrent commits, so
-- no two nodes can hand out one seq. Rooms that already have history start where it ends.
create table parley_room (
    room     varchar(64) not null primary key,
    last_seq bigint      not null
);
insert into parley_room (room, last_seq) select room, max(seq) from parley_message group by room;
