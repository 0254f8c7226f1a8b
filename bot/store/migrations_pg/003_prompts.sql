-- Reflection prompts: lab-specific prompts and the record of weekly lab posts.

ALTER TABLE guild_settings ADD COLUMN lang TEXT NOT NULL DEFAULT 'en';

CREATE TABLE guild_prompts (
    guild_id   BIGINT  NOT NULL,
    id         TEXT    NOT NULL,
    topic      TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    created_by BIGINT  NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, id)
);

-- One post per guild per period (ISO week in the lab's timezone), even across restarts.
-- cycle counts passes through the guild's pool: no prompt repeats within a cycle.
CREATE TABLE prompt_posts (
    guild_id   BIGINT  NOT NULL,
    period     TEXT    NOT NULL,
    prompt_id  TEXT    NOT NULL,
    cycle      BIGINT  NOT NULL,
    channel_id BIGINT  NOT NULL,
    message_id BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, period)
);
