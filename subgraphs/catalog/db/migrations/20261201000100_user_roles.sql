-- migrate:up
-- The roles of users, as the users subgraph publishes them (users.user.role-changed): how the
-- catalog checks, when a brand is given to someone, that they are an existing SELLER. One row
-- per user whose role was ever published; the highest role_version wins.
CREATE TABLE user_roles (
  user_id      uuid PRIMARY KEY,
  role         text NOT NULL,
  role_version integer NOT NULL,
  deleted      boolean NOT NULL DEFAULT false,
  updated_at   timestamptz(3) NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE user_roles;
