-- Reserved for issue 17 (share replies), developed in parallel: its 008 replaces this file at merge.
-- The runner needs 001.. without gaps, and this branch's calendar migration is 009.
SELECT 1;
