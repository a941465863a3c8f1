-- migrate:up
CREATE TABLE widgets (
  id         uuid PRIMARY KEY,
  name       text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
  created_by uuid NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE widgets;
