-- Issue 17: what a published share keeps so it can be answered, reported, updated or withdrawn.
-- No table holds a user id. A post is found by its message id; its author proves authorship with a
-- random code whose keyed hash (code_hash) is all that is kept; the author token used for blocks is
-- stored only sealed to its own row (author_sealed), so two posts or replies of one member cannot
-- be matched from the file. Reply text is kept only until it is posted or decided, then set to NULL
-- (secure_delete zeroes it on disk); a posted reply keeps only its number and message id.

ALTER TABLE pending_shares ADD COLUMN code_hash BYTEA  ;

CREATE TABLE published_shares (
    id            BYTEA   PRIMARY KEY,
    guild_id      BIGINT  NOT NULL,
    channel_id    BIGINT  NOT NULL,
    message_id    BIGINT  NOT NULL UNIQUE,
    thread_id     BIGINT,
    code_hash     BYTEA  ,
    author_sealed BYTEA   NOT NULL,
    replies       BIGINT  NOT NULL DEFAULT 0,
    locked        BIGINT  NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    published_on  TEXT    NOT NULL
);
CREATE INDEX published_shares_code ON published_shares (code_hash);

CREATE TABLE share_replies (
    id            BYTEA   PRIMARY KEY,
    share_id      BYTEA   NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('reply', 'op', 'update')),
    state         TEXT    NOT NULL CHECK (state IN ('review', 'scheduled', 'posted')),
    body          TEXT,
    author_sealed BYTEA   NOT NULL,
    categories    TEXT,
    publish_after TEXT,
    review_after  TEXT,
    number        BIGINT,
    message_id    BIGINT 
);
CREATE INDEX share_replies_share ON share_replies (share_id);
CREATE INDEX share_replies_due ON share_replies (publish_after) WHERE state = 'scheduled';

-- What moderators did after publication: names the moderator, never the author.
CREATE TABLE share_moderation_log (
    id           BYTEA   PRIMARY KEY,
    guild_id     BIGINT  NOT NULL,
    at           TEXT    NOT NULL,
    moderator_id BIGINT  NOT NULL,
    action       TEXT    NOT NULL,
    target       TEXT    NOT NULL
);
