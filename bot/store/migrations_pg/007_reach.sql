-- /reach (issue 16): private conversations between a member and the lab's wellbeing reps.
--
-- No table holds the member's user id. A conversation is found by the keyed hash of a random
-- capability code only the member holds; the row keeps the guild, the thread, the opening ISO
-- week (no finer time), the state and whether it is urgent. Rows are random-keyed (no insertion
-- order), and nothing stores a timestamp finer than a day.
--
-- - author_sealed: the keyed author token (for "block the author of this conversation"),
--   encrypted with AES-GCM so two conversations of one member cannot be matched from the file.
-- - named_key: for named conversations only, a keyed member value so /privacy delete can close
--   them (the member chose to be known to the reps).
-- - notify_sealed: the member's DM address, sealed, only when they asked to be told by DM;
--   deleted with the conversation.
-- Member messages wait in reach_outbox only until they are posted in the thread (then deleted);
-- rep replies are kept in reach_replies so the member can read them with the code, and are
-- deleted with the conversation.

ALTER TABLE guild_settings ADD COLUMN reps_channel_id BIGINT ;
ALTER TABLE guild_settings ADD COLUMN reach_kept_days BIGINT  NOT NULL DEFAULT 30 CHECK (reach_kept_days >= 1);

CREATE TABLE reach_conversations (
    id            BYTEA   PRIMARY KEY,
    guild_id      BIGINT  NOT NULL,
    code_hash     BYTEA   NOT NULL UNIQUE,
    handle        TEXT    NOT NULL UNIQUE,
    thread_id     BIGINT,
    week          TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('waiting', 'open', 'answered', 'closed')),
    urgent        BIGINT  NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    named         BIGINT  NOT NULL DEFAULT 0 CHECK (named IN (0, 1)),
    lang          TEXT    NOT NULL DEFAULT 'en',
    author_sealed BYTEA  ,
    named_key     BYTEA  ,
    notify_sealed BYTEA  ,
    closed_on     TEXT
);
CREATE INDEX reach_conversations_guild ON reach_conversations (guild_id, state);
CREATE INDEX reach_conversations_named ON reach_conversations (named_key) WHERE named_key IS NOT NULL;

-- A member message waiting for its (random, short) delay before it is posted in the thread.
CREATE TABLE reach_outbox (
    id            BYTEA   PRIMARY KEY,
    conversation  BYTEA   NOT NULL REFERENCES reach_conversations (id) ON DELETE CASCADE,
    body          TEXT    NOT NULL,
    flagged       BIGINT  NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
    post_after    TEXT    NOT NULL
);
CREATE INDEX reach_outbox_due ON reach_outbox (post_after);

-- A rep's answer: who answered is the rep's own action (their id), shown to the member only as
-- "the wellbeing team" when they chose so. `seq` orders replies without any timestamp.
CREATE TABLE reach_replies (
    id            BYTEA   PRIMARY KEY,
    conversation  BYTEA   NOT NULL REFERENCES reach_conversations (id) ON DELETE CASCADE,
    seq           BIGINT  NOT NULL,
    as_team       BIGINT  NOT NULL CHECK (as_team IN (0, 1)),
    rep_id        BIGINT  NOT NULL,
    rep_name      TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    UNIQUE (conversation, seq)
);

-- Blocks on the keyed author token; only the day a block ends is kept. `blocked_by` is the rep
-- (their action) so an appeal goes to someone else. `handle` names the block in appeals.
CREATE TABLE reach_blocks (
    guild_id     BIGINT  NOT NULL,
    author_token TEXT    NOT NULL,
    handle       TEXT    NOT NULL UNIQUE,
    expires_on   TEXT    NOT NULL,
    blocked_by   BIGINT  NOT NULL,
    appealed     BIGINT  NOT NULL DEFAULT 0 CHECK (appealed IN (0, 1)),
    PRIMARY KEY (guild_id, author_token)
);

-- Messages per member per day (a token keyed with the day, so days cannot be linked); today only.
CREATE TABLE reach_quota (
    guild_id BIGINT  NOT NULL,
    token    TEXT    NOT NULL,
    day      TEXT    NOT NULL,
    count    BIGINT  NOT NULL,
    PRIMARY KEY (guild_id, token, day)
);

-- Threads whose conversation was forgotten but which Discord has not yet deleted.
CREATE TABLE reach_thread_deletions (
    thread_id BIGINT  PRIMARY KEY,
    guild_id  BIGINT  NOT NULL
);
