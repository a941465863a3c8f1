-- migrate:up
-- What holds an account open (self-service deletion is refused while a shopper has orders in
-- flight or money in their wallet), as the orders and payments subgraphs announce it through their
-- events: the users subgraph never asks them synchronously. Each row keeps the state of the highest
-- version heard, whatever order the events arrive in (docs/ARCHITECTURE.md, "Account deletion").

-- orders.order.status-changed: each order's latest status. Statuses are the orders subgraph's:
-- text here, so a status added there later counts as in flight until it is known to be terminal.
CREATE TABLE shopper_orders (
  order_id   uuid PRIMARY KEY,
  user_id    uuid NOT NULL,
  status     text NOT NULL,
  version    integer NOT NULL CHECK (version >= 0),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX shopper_orders_in_flight ON shopper_orders (user_id)
  WHERE status NOT IN ('DELIVERED', 'CANCELLED', 'REFUNDED');

-- payments.wallet.balance-changed: each wallet's latest balance.
CREATE TABLE shopper_wallets (
  user_id    uuid PRIMARY KEY,
  balance    integer NOT NULL CHECK (balance >= 0),
  version    integer NOT NULL CHECK (version >= 0),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE shopper_wallets;
DROP TABLE shopper_orders;
