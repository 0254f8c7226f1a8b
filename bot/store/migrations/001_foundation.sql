-- Foundation: guild settings and the per-guild overlay on the default resource packs.
-- No table in this file holds wellbeing data. Moderator user ids are kept only where a
-- moderator acted (history), never beside anything a member said about themselves.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE guild_settings (
    guild_id            INTEGER PRIMARY KEY,
    peer_channel_id     INTEGER,
    prompt_channel_id   INTEGER,
    alert_channel_id    INTEGER,
    moderator_role_id   INTEGER,
    timezone            TEXT    NOT NULL DEFAULT 'UTC',
    k_threshold         INTEGER NOT NULL DEFAULT 5 CHECK (k_threshold >= 3),
    review_mode         INTEGER NOT NULL DEFAULT 0 CHECK (review_mode IN (0, 1)),
    prompt_weekday      INTEGER CHECK (prompt_weekday BETWEEN 0 AND 6),
    prompt_time         TEXT,
    updated_at          TEXT    NOT NULL
) STRICT;

-- Lab-specific topics created by moderators (default topics live in resources/).
CREATE TABLE guild_topics (
    guild_id    INTEGER NOT NULL,
    slug        TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    summary     TEXT    NOT NULL DEFAULT '',
    hidden      INTEGER NOT NULL DEFAULT 0,
    updated_by  INTEGER NOT NULL,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, slug)
) STRICT;

-- One row per item a guild changed. state 'edited' replaces a default item's fields,
-- 'hidden' removes a default for this guild only, 'added' is the guild's own item.
-- A default item with no row here is always shown as currently shipped, so improved
-- defaults reach every guild that did not edit them.
CREATE TABLE resource_overlay (
    guild_id     INTEGER NOT NULL,
    item_id      TEXT    NOT NULL,
    topic        TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('edited', 'hidden', 'added')),
    title        TEXT,
    url          TEXT,
    kind         TEXT,
    description  TEXT,
    position     INTEGER NOT NULL DEFAULT 0,
    updated_by   INTEGER NOT NULL,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, item_id)
) STRICT;

-- Append-only record of every moderator change, with before/after as JSON.
CREATE TABLE resource_history (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    topic       TEXT,
    item_id     TEXT,
    action      TEXT    NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    actor_id    INTEGER NOT NULL,
    at          TEXT    NOT NULL
) STRICT;
CREATE INDEX resource_history_by_guild ON resource_history (guild_id, id);

-- Full-text search over default items (guild_id 0) and each guild's own/edited items.
-- CJK text is stored with spaces between characters so phrases match inside words.
CREATE VIRTUAL TABLE resource_fts USING fts5(
    title, description, keywords,
    guild_id UNINDEXED, locale UNINDEXED, topic UNINDEXED, item_id UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
