-- migrate:up
-- The profile beyond the name: a Korean mobile number (stored as 010-1234-5678) and the language
-- the shop writes to the user in (emails), Korean unless they chose English.
ALTER TABLE users
  ADD COLUMN phone  text CHECK (phone ~ '^01[016789]-[0-9]{3,4}-[0-9]{4}$'),
  ADD COLUMN locale text NOT NULL DEFAULT 'ko' CHECK (locale IN ('ko', 'en'));

-- migrate:down
ALTER TABLE users DROP COLUMN phone, DROP COLUMN locale;
