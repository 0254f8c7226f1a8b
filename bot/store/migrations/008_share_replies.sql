-- Issue 17: what a published share keeps so it can be answered, reported, updated or withdrawn.
-- No table holds a user id. A post is found by its message id; its author proves authorship with a
-- random code whose keyed hash (code_hash) is all that is kept; the author token used for blocks is
-- stored only sealed to its own row (author_sealed), so two posts or replies of one member cannot
-- be matched from the file. Reply text is kept only until it is posted or decided, then set to NULL
-- (secure_delete zeroes it on disk); a posted reply keeps only its number and message id.

ALTER TABLE pending_shares ADD COLUMN code_hash BLOB;

CREATE TABLE published_shares (
    id            BLOB    PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL,
    message_id    INTEGER NOT NULL UNIQUE,
    thread_id     INTEGER,
    code_hash     BLOB,
    author_sealed BLOB    NOT NULL,
    replies       INTEGER NOT NULL DEFAULT 0,
    locked        INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    published_on  TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX published_shares_code ON published_shares (code_hash);

CREATE TABLE share_replies (
    id            BLOB    PRIMARY KEY,
    share_id      BLOB    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('reply', 'op', 'update')),
    state         TEXT    NOT NULL CHECK (state IN ('review', 'scheduled', 'posted')),
    body          TEXT,
    author_sealed BLOB    NOT NULL,
    categories    TEXT,
    publish_after TEXT,
    review_after  TEXT,
    number        INTEGER,
    message_id    INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX share_replies_share ON share_replies (share_id);
CREATE INDEX share_replies_due ON share_replies (publish_after) WHERE state = 'scheduled';

-- What moderators did after publication: names the moderator, never the author.
CREATE TABLE share_moderation_log (
    id           BLOB    PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    at           TEXT    NOT NULL,
    moderator_id INTEGER NOT NULL,
    action       TEXT    NOT NULL,
    target       TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
