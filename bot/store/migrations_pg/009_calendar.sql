-- The lab's calendar (issue 18): followed venues, the lab's own dates, once-only cadence posts,
-- the subscribers' "quiet during deadline weeks" preference and gentle mode for hard times.
--
-- Everything here is lab-level: the cadence stores no member, only what the lab posted.
-- calendar_dates holds the lab's own dates and moderators' corrections of shipped ones
-- (corrects = the shipped key, e.g. 'neurips:2026:paper'); `at` is an ISO UTC instant.

CREATE TABLE calendar_follows (
    guild_id    BIGINT  NOT NULL,
    series      TEXT    NOT NULL,
    followed_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, series)
);

CREATE TABLE calendar_dates (
    guild_id   BIGINT  NOT NULL,
    id         TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    corrects   TEXT,
    created_by BIGINT  NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, id)
);

-- One row per one-off cadence post (decompression, decision day, rebuttal), so a restart never
-- posts it twice.
CREATE TABLE calendar_posts (
    guild_id   BIGINT  NOT NULL,
    key        TEXT    NOT NULL,
    channel_id BIGINT  NOT NULL,
    message_id BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, key)
);

ALTER TABLE subscriptions ADD COLUMN quiet_deadlines BIGINT  NOT NULL DEFAULT 0 CHECK (quiet_deadlines IN (0, 1));

-- Gentle mode: at most one running per lab. Ended periods move to gentle_periods (dates only)
-- so /pulse can mark them; no reason, name or detail is stored beyond the kind.
CREATE TABLE gentle_events (
    guild_id   BIGINT  PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('bereavement', 'suicide_loss', 'incident')),
    lang       TEXT    NOT NULL,
    started_at TEXT    NOT NULL,
    ends_at    TEXT    NOT NULL,
    channel_id BIGINT  NOT NULL,
    notice_id  BIGINT  NOT NULL,
    thread_id  BIGINT 
);

CREATE TABLE gentle_periods (
    guild_id   BIGINT  NOT NULL,
    started_at TEXT    NOT NULL,
    ended_at   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, started_at)
);

-- "Check on me in two weeks" (gentle mode): a generic one-off DM reminder. No reason, no event,
-- no text: only when to send it, the member's keyed value (so /privacy delete finds it) and the
-- sealed DM address. Random-keyed; deleted once sent.
CREATE TABLE reminders (
    id        BYTEA   PRIMARY KEY,
    member    BYTEA   NOT NULL,
    guild_id  BIGINT  NOT NULL,
    recipient BYTEA   NOT NULL,
    lang      TEXT    NOT NULL,
    due       TEXT    NOT NULL,
    UNIQUE (member, guild_id)
);
CREATE INDEX reminders_due ON reminders (due);
