-- Derby's V3, as db/migration/V3__room_closed.sql: a room an administrator closed.
alter table parley_room add column closed boolean default false not null;
