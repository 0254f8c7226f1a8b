-- Anonymous check-ins (PostgreSQL), their receipts, and opt-in weekly DMs.
--
-- checkins holds closed weeks' answers only: guild, ISO week (in the lab's timezone), mood, energy,
-- topics, under 16 random bytes. A week arrives here all at once when it closes, in key order, in
-- one transaction: its rows share one xmin and sit in key order, saying nothing of arrival.
CREATE TABLE checkins (
    id       BYTEA   PRIMARY KEY,
    guild_id BIGINT  NOT NULL,
    week     TEXT    NOT NULL,
    mood     BIGINT  NOT NULL CHECK (mood BETWEEN 1 AND 5),
    energy   BIGINT  NOT NULL CHECK (energy BETWEEN 1 AND 5),
    topics   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX checkins_by_guild_week ON checkins (guild_id, week);

-- Open weeks' answers. On SQLite they live in a file of their own; here they are written by
-- bot.store.pg.HeldCheckins in shuffled batches of at least the lab's k answers, in transactions
-- that write no receipt, so an xmin or a ctid groups at least k members and pairs none.
CREATE TABLE open_checkins (
    id       BYTEA   PRIMARY KEY,
    guild_id BIGINT  NOT NULL,
    week     TEXT    NOT NULL,
    mood     BIGINT  NOT NULL CHECK (mood BETWEEN 1 AND 5),
    energy   BIGINT  NOT NULL CHECK (energy BETWEEN 1 AND 5),
    topics   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX open_checkins_by_week ON open_checkins (week);

-- HMAC(secret, guild, user, week): "this member already checked in this week", nothing more.
-- Written alone at each check-in (so two processes never count one member twice); never in a
-- transaction with an answer. Pruned once the week is long over.
CREATE TABLE receipts (
    receipt BYTEA PRIMARY KEY,
    week    TEXT  NOT NULL
);
CREATE INDEX receipts_by_week ON receipts (week);

-- Weekly DMs a member opted into. member is HMAC(secret, user id) for lookups; recipient is the
-- user id sealed with the secret key, opened only by the running bot to send the DM.
CREATE TABLE subscriptions (
    member        BYTEA   NOT NULL,
    guild_id      BIGINT  NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('checkin', 'prompt')),
    recipient     BYTEA   NOT NULL,
    weekday       BIGINT  NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    at            TEXT    NOT NULL,
    timezone      TEXT    NOT NULL,
    lang          TEXT    NOT NULL DEFAULT 'en',
    next_due      TEXT    NOT NULL,
    paused_reason TEXT,
    paused_at     TEXT,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (member, guild_id, kind)
);
CREATE INDEX subscriptions_due ON subscriptions (next_due) WHERE paused_reason IS NULL;

-- One row per (member, guild, kind, period) handled: a restart never sends a week twice.
CREATE TABLE deliveries (
    member   BYTEA   NOT NULL,
    guild_id BIGINT  NOT NULL,
    kind     TEXT    NOT NULL,
    period   TEXT    NOT NULL,
    outcome  TEXT    NOT NULL CHECK (outcome IN ('sent', 'skipped_late', 'skipped_checked_in')),
    PRIMARY KEY (member, guild_id, kind, period)
);
