-- A room an administrator closed: its members were disconnected and nobody may join it
-- until it is reopened. Kept with the room's sequence row, so every node of a cluster
-- reads it when the room starts there, and it survives restarts.
alter table parley_room add column closed boolean default false not null;
