-- Claims (issue 21): before a process sends a due DM, posts a queued share, reply, /reach message
-- or the weekly prompt, it claims that one item here. A claim is one row per item, taken atomically
-- (an upsert that only takes over an expired lease), so when several processes share the database
-- exactly one sends each item. A claim that failed to send is released at once; one whose process
-- died lapses after its lease, or at once when the process that runs the same shards (`owner`)
-- starts again, so a crash causes at most one duplicate. `key` identifies the item
-- the way its own table does (a member key and period, a share id): no user id, no wellbeing data.
CREATE TABLE claims (
    kind  TEXT NOT NULL,
    key   BYTEA NOT NULL,
    until TEXT NOT NULL,
    owner TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX claims_until ON claims (until);

-- PostgreSQL only: which sealed carry file of held check-ins (bot.store.pg.HeldCheckins) belongs
-- to this database, one row per process. Left out of backups with the open weeks' answers and
-- receipts, so a restore into another database never takes those answers back twice.
CREATE TABLE held_marks (
    process TEXT PRIMARY KEY,
    token   TEXT NOT NULL
);
