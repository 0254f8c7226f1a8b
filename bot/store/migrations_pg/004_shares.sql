-- Anonymous shares. No table holds a user id. An author is known only by an opaque token,
-- HMAC(secret, guild, user): moderators can block "the author of this post" and the bot can
-- rate-limit, without anyone learning who it is. Share text is kept only until it is posted or
-- a moderator decides, then deleted (secure_delete zeroes it on disk).

ALTER TABLE guild_settings ADD COLUMN share_daily_limit BIGINT  NOT NULL DEFAULT 3 CHECK (share_daily_limit >= 1);
ALTER TABLE guild_settings ADD COLUMN share_delay_minutes BIGINT  NOT NULL DEFAULT 10 CHECK (share_delay_minutes >= 0);

CREATE TABLE pending_shares (
    id             BYTEA   PRIMARY KEY,
    guild_id       BIGINT  NOT NULL,
    body           TEXT    NOT NULL,
    warning        TEXT,
    author_token   TEXT    NOT NULL,
    state          TEXT    NOT NULL CHECK (state IN ('review', 'scheduled')),
    categories     TEXT,
    publish_after  TEXT
);
CREATE INDEX pending_shares_due ON pending_shares (publish_after) WHERE state = 'scheduled';

CREATE TABLE share_blocks (
    guild_id     BIGINT  NOT NULL,
    author_token TEXT    NOT NULL,
    blocked_at   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, author_token)
);

-- Shares per author per day, for the daily limit; rows older than two days are pruned.
CREATE TABLE share_quota (
    guild_id     BIGINT  NOT NULL,
    author_token TEXT    NOT NULL,
    day          TEXT    NOT NULL,
    count        BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, author_token, day)
);
