-- The server API (SERVER-API.md): a published message's idempotency_key, once per room
-- for 24 hours whoever the user, kept beside the message so that it outlives a restart.
-- A column of its own, not the cid's: a member's cid is per user, and must never meet a key.
alter table parley_message add column idem varchar(256);
create index parley_message_idem on parley_message (room, idem);
