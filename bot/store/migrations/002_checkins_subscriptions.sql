-- Anonymous check-ins, their receipts, and opt-in weekly DMs.
--
-- checkins holds answers only: guild, ISO week (in the lab's timezone), mood, energy, topics.
-- Its key is 16 random bytes and the table is WITHOUT ROWID, so storage order is random and
-- says nothing about who answered when. No user id, no timestamp finer than the week.
CREATE TABLE checkins (
    id       BLOB    PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    week     TEXT    NOT NULL,
    mood     INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 5),
    energy   INTEGER NOT NULL CHECK (energy BETWEEN 1 AND 5),
    topics   TEXT    NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
CREATE INDEX checkins_by_guild_week ON checkins (guild_id, week);

-- HMAC(secret, guild, user, week): "this member already checked in this week", nothing more.
-- Kept separately from the answers and pruned once the week is long over.
CREATE TABLE checkin_receipts (
    receipt BLOB PRIMARY KEY,
    week    TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX checkin_receipts_by_week ON checkin_receipts (week);

-- Weekly DMs a member opted into. member is HMAC(secret, user id) for lookups; recipient is the
-- user id sealed with the secret key, opened only by the running bot to send the DM.
CREATE TABLE subscriptions (
    member        BLOB    NOT NULL,
    guild_id      INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('checkin', 'prompt')),
    recipient     BLOB    NOT NULL,
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    at            TEXT    NOT NULL,
    timezone      TEXT    NOT NULL,
    lang          TEXT    NOT NULL DEFAULT 'en',
    next_due      TEXT    NOT NULL,
    paused_reason TEXT,
    paused_at     TEXT,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (member, guild_id, kind)
) STRICT, WITHOUT ROWID;
CREATE INDEX subscriptions_due ON subscriptions (next_due) WHERE paused_reason IS NULL;

-- One row per (member, guild, kind, period) handled: a restart never sends a week twice.
CREATE TABLE deliveries (
    member   BLOB    NOT NULL,
    guild_id INTEGER NOT NULL,
    kind     TEXT    NOT NULL,
    period   TEXT    NOT NULL,
    outcome  TEXT    NOT NULL CHECK (outcome IN ('sent', 'skipped_late', 'skipped_checked_in')),
    PRIMARY KEY (member, guild_id, kind, period)
) STRICT, WITHOUT ROWID;
