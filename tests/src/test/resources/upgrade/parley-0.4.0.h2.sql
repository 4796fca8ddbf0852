-- H2 2.3.232; 
SET DB_CLOSE_DELAY -1;         
;              
CREATE USER IF NOT EXISTS "SA" SALT '3913e5caa61caeeb' HASH 'b06e95f8b5ca46e2534cfe9f860adcb5be96962f177f6e12be51a2eda1d30667' ADMIN;          
CREATE MEMORY TABLE "PUBLIC"."parley_schema_history"(
    "installed_rank" INTEGER NOT NULL,
    "version" CHARACTER VARYING(50),
    "description" CHARACTER VARYING(200) NOT NULL,
    "type" CHARACTER VARYING(20) NOT NULL,
    "script" CHARACTER VARYING(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" CHARACTER VARYING(100) NOT NULL,
    "installed_on" TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
);           
ALTER TABLE "PUBLIC"."parley_schema_history" ADD CONSTRAINT "PUBLIC"."parley_schema_history_pk" PRIMARY KEY("installed_rank"); 
-- 4 +/- SELECT COUNT(*) FROM PUBLIC.parley_schema_history;    
INSERT INTO "PUBLIC"."parley_schema_history" VALUES
(-1, NULL, '<< Flyway Schema History table created >>', 'TABLE', '', NULL, 'SA', TIMESTAMP '2026-12-06 18:12:07.464531', 0, TRUE),
(1, '1', 'messages', 'SQL', 'V1__messages.sql', 102244980, 'SA', TIMESTAMP '2026-12-06 18:12:07.645476', 22, TRUE),
(2, '2', 'room sequence', 'SQL', 'V2__room_sequence.sql', 1691713844, 'SA', TIMESTAMP '2026-12-06 18:12:07.703769', 18, TRUE),
(3, '3', 'room closed', 'SQL', 'V3__room_closed.sql', 1259590545, 'SA', TIMESTAMP '2026-12-06 18:12:07.75147', 16, TRUE);            
CREATE INDEX "PUBLIC"."parley_schema_history_s_idx" ON "PUBLIC"."parley_schema_history"("success" NULLS FIRST);
CREATE MEMORY TABLE "PUBLIC"."PARLEY_MESSAGE"(
    "ROOM" CHARACTER VARYING(64) NOT NULL,
    "SEQ" BIGINT NOT NULL,
    "USERNAME" CHARACTER VARYING(128) NOT NULL,
    "BODY" BINARY VARYING NOT NULL,
    "TS" BIGINT NOT NULL
);           
ALTER TABLE "PUBLIC"."PARLEY_MESSAGE" ADD CONSTRAINT "PUBLIC"."CONSTRAINT_2" PRIMARY KEY("ROOM", "SEQ");       
-- 4 +/- SELECT COUNT(*) FROM PUBLIC.PARLEY_MESSAGE;           
INSERT INTO "PUBLIC"."PARLEY_MESSAGE" VALUES
('lobby', 1, 'ann', X'48656c6c6f2066726f6d20302e342e30', 1796551200123),
('lobby', 2, 'bob', X'c3bc6ec3af63c3b664c3a920f09f988020616e6420612000206e756c', 1796551201123),
('lobby', 3, 'ann', X'7468697264', 1796551202123),
('other', 1, 'cy', X'6f6e6c79206f6e65', 1796551210123);              
CREATE MEMORY TABLE "PUBLIC"."PARLEY_ROOM"(
    "ROOM" CHARACTER VARYING(64) NOT NULL,
    "LAST_SEQ" BIGINT NOT NULL,
    "CLOSED" BOOLEAN DEFAULT FALSE NOT NULL
);          
ALTER TABLE "PUBLIC"."PARLEY_ROOM" ADD CONSTRAINT "PUBLIC"."CONSTRAINT_C" PRIMARY KEY("ROOM"); 
-- 3 +/- SELECT COUNT(*) FROM PUBLIC.PARLEY_ROOM;              
INSERT INTO "PUBLIC"."PARLEY_ROOM" VALUES
('lobby', 3, FALSE),
('other', 1, FALSE),
('shut', 0, TRUE);         
