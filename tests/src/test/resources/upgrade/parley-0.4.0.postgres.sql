--
-- PostgreSQL database dump
--

\restrict pfgTQVC6Ez2TJkrulVbcgM4wG6ieHnl4YnLZvOlTB0ehzNaKoE9kBMArOe7cCUw

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: parley_message; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.parley_message (
    room character varying(64) NOT NULL,
    seq bigint NOT NULL,
    username character varying(128) NOT NULL,
    body bytea NOT NULL,
    ts bigint NOT NULL
);


--
-- Name: parley_room; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.parley_room (
    room character varying(64) NOT NULL,
    last_seq bigint NOT NULL,
    closed boolean DEFAULT false NOT NULL
);


--
-- Name: parley_schema_history; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.parley_schema_history (
    installed_rank integer NOT NULL,
    version character varying(50),
    description character varying(200) NOT NULL,
    type character varying(20) NOT NULL,
    script character varying(1000) NOT NULL,
    checksum integer,
    installed_by character varying(100) NOT NULL,
    installed_on timestamp without time zone DEFAULT now() NOT NULL,
    execution_time integer NOT NULL,
    success boolean NOT NULL
);


--
-- Data for Name: parley_message; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.parley_message VALUES ('lobby', 1, 'ann', '\x48656c6c6f2066726f6d20302e342e30', 1796551200123);
INSERT INTO public.parley_message VALUES ('lobby', 2, 'bob', '\xc3bc6ec3af63c3b664c3a920f09f988020616e6420612000206e756c', 1796551201123);
INSERT INTO public.parley_message VALUES ('lobby', 3, 'ann', '\x7468697264', 1796551202123);
INSERT INTO public.parley_message VALUES ('other', 1, 'cy', '\x6f6e6c79206f6e65', 1796551210123);


--
-- Data for Name: parley_room; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.parley_room VALUES ('lobby', 3, false);
INSERT INTO public.parley_room VALUES ('other', 1, false);
INSERT INTO public.parley_room VALUES ('shut', 0, true);


--
-- Data for Name: parley_schema_history; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.parley_schema_history VALUES (1, '1', 'messages', 'SQL', 'V1__messages.sql', 102244980, 'postgres', '2026-12-06 18:12:14.355891', 29, true);
INSERT INTO public.parley_schema_history VALUES (2, '2', 'room sequence', 'SQL', 'V2__room_sequence.sql', 1691713844, 'postgres', '2026-12-06 18:12:14.462399', 16, true);
INSERT INTO public.parley_schema_history VALUES (3, '3', 'room closed', 'SQL', 'V3__room_closed.sql', 1259590545, 'postgres', '2026-12-06 18:12:14.526555', 20, true);


--
-- Name: parley_message parley_message_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.parley_message
    ADD CONSTRAINT parley_message_pkey PRIMARY KEY (room, seq);


--
-- Name: parley_room parley_room_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.parley_room
    ADD CONSTRAINT parley_room_pkey PRIMARY KEY (room);


--
-- Name: parley_schema_history parley_schema_history_pk; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.parley_schema_history
    ADD CONSTRAINT parley_schema_history_pk PRIMARY KEY (installed_rank);


--
-- Name: parley_schema_history_s_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX parley_schema_history_s_idx ON public.parley_schema_history USING btree (success);


--
-- PostgreSQL database dump complete
--

\unrestrict pfgTQVC6Ez2TJkrulVbcgM4wG6ieHnl4YnLZvOlTB0ehzNaKoE9kBMArOe7cCUw

