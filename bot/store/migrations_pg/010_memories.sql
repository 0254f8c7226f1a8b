-- Memories for gentle mode's "Memories and condolences" thread (issue 18): an anonymous /share
-- whose destination is that thread instead of the peer-support channel. A memory is always held
-- for moderator review; thread_id says where it goes once approved (NULL for an ordinary share).
-- Like every pending share it has no user id, only the keyed author token, and its text is
-- deleted once it is posted, rejected or dropped.

ALTER TABLE pending_shares ADD COLUMN thread_id BIGINT ;
CREATE INDEX pending_memories ON pending_shares (guild_id) WHERE thread_id IS NOT NULL;
