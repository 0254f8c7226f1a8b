-- The lab's country (ISO 3166-1 alpha-2, e.g. 'IE'): the default of /crisis for its members.
-- It is a lab setting chosen by a moderator; nothing about a member's own choice is stored.
ALTER TABLE guild_settings ADD COLUMN country TEXT CHECK (country IS NULL OR length(country) = 2);
