-- Anonymity that survives a forensic read (issue 11).
--
-- Receipts and the answers of open weeks move to files of their own (see bot/store/checkins.py);
-- the main file's `checkins` table now holds closed weeks only, each written at once when the
-- week has ended everywhere. kindred 0.1's checkin_receipts table is moved out and dropped by
-- split_legacy_tables right after this migration.

-- Deliveries: one outcome ("done") so the table no longer says who was skipped for having
-- checked in; rows are pruned two weeks on and deleted with the subscription.
DROP TABLE deliveries;
CREATE TABLE deliveries (
    member   BYTEA   NOT NULL,
    guild_id BIGINT  NOT NULL,
    kind     TEXT    NOT NULL,
    period   TEXT    NOT NULL,
    outcome  TEXT    NOT NULL DEFAULT 'done' CHECK (outcome = 'done'),
    PRIMARY KEY (member, guild_id, kind, period)
);

-- Blocks expire; only the day they end is kept, not when they were made.
DROP TABLE share_blocks;
CREATE TABLE share_blocks (
    guild_id     BIGINT  NOT NULL,
    author_token TEXT    NOT NULL,
    expires_on   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, author_token)
);

-- The daily limit keeps today's counts only (older rows are pruned on every share).
DELETE FROM share_quota;

-- Shares held for review expire after two weeks; a review request is posted after a jittered
-- delay like publication, so its time does not point to the author.
ALTER TABLE pending_shares ADD COLUMN expires_on TEXT;
ALTER TABLE pending_shares ADD COLUMN review_after TEXT;
UPDATE pending_shares SET expires_on = to_char(current_date + 14, 'YYYY-MM-DD') WHERE state = 'review';

-- A timezone change applies to check-in weeks from the start of the next week.
ALTER TABLE guild_settings ADD COLUMN timezone_next TEXT;
ALTER TABLE guild_settings ADD COLUMN timezone_next_from TEXT;
