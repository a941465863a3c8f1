-- migrate:up
-- Orders that await payment, as the orders subgraph announced them (orders.order.awaiting-payment),
-- and their cancellation (orders.order.cancelled), which may arrive first: then the row is a
-- CANCELLED tombstone without an amount, and the late announcement is ignored.
CREATE TYPE payable_order_status AS ENUM ('AWAITING_PAYMENT', 'CANCELLED');
CREATE TABLE payable_orders (
  order_id         uuid PRIMARY KEY,
  user_id          uuid,
  amount           integer CHECK (amount > 0),
  -- won per brand id, summing to amount: what the weekly settlement splits by brand
  amounts_by_brand jsonb,
  status           payable_order_status NOT NULL,
  cancel_reason    text,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  CHECK (status = 'CANCELLED' OR (user_id IS NOT NULL AND amount IS NOT NULL AND amounts_by_brand IS NOT NULL))
);

-- Radiata Pay: one wallet per user, a 6-digit PIN (argon2id), a balance explained by the ledger.
CREATE TABLE wallets (
  user_id             uuid PRIMARY KEY,
  pin_hash            text NOT NULL,
  balance             integer NOT NULL DEFAULT 0 CHECK (balance >= 0),
  -- wrong PINs in a row; at PIN_MAX_ATTEMPTS the wallet is locked until locked_until
  failed_pin_attempts integer NOT NULL DEFAULT 0 CHECK (failed_pin_attempts >= 0),
  locked_until        timestamptz(3),
  created_at          timestamptz(3) NOT NULL DEFAULT now(),
  updated_at          timestamptz(3) NOT NULL DEFAULT now()
);

-- Every PIN check, reserved before the (slow) hash comparison: checks in flight count against the
-- attempts left, so parallel guesses cannot get past the lockout. Unfinished ones expire (a crash).
CREATE TABLE pin_checks (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES wallets (user_id),
  started_at  timestamptz(3) NOT NULL DEFAULT now(),
  finished_at timestamptz(3),
  succeeded   boolean
);
CREATE INDEX pin_checks_in_flight ON pin_checks (user_id, started_at) WHERE finished_at IS NULL;
CREATE INDEX pin_checks_started ON pin_checks (started_at);

CREATE TYPE payment_purpose AS ENUM ('ORDER', 'TOP_UP');
CREATE TYPE payment_method AS ENUM ('WALLET', 'CARD');
CREATE TYPE payment_status AS ENUM ('PENDING', 'APPROVED', 'FAILED', 'REFUNDED', 'PARTIALLY_REFUNDED');
CREATE TABLE payments (
  id                uuid PRIMARY KEY,
  purpose           payment_purpose NOT NULL,
  order_id          uuid REFERENCES payable_orders (order_id),
  user_id           uuid NOT NULL,
  method            payment_method NOT NULL,
  amount            integer NOT NULL CHECK (amount > 0),
  -- given back by completed refunds
  refunded_amount   integer NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
  status            payment_status NOT NULL,
  -- CARD: the checkout the provider opened (its orderId) and the key the widget returned
  provider_order_id text,
  payment_key       text UNIQUE,
  failure_code      text,
  failure_message   text,
  approved_at       timestamptz(3),
  -- PENDING card payments: when reconciliation asks the provider next
  next_check_at     timestamptz(3),
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  updated_at        timestamptz(3) NOT NULL DEFAULT now(),
  CHECK ((purpose = 'ORDER') = (order_id IS NOT NULL)),
  CHECK ((method = 'CARD') = (payment_key IS NOT NULL AND provider_order_id IS NOT NULL)),
  CHECK (purpose = 'ORDER' OR method = 'CARD'),
  CHECK ((status IN ('APPROVED', 'REFUNDED', 'PARTIALLY_REFUNDED')) = (approved_at IS NOT NULL))
);
-- At most one payment per order that is not FAILED: one in flight, and exactly one APPROVED ever.
CREATE UNIQUE INDEX payments_one_per_order ON payments (order_id) WHERE status <> 'FAILED';
CREATE INDEX payments_of_user ON payments (user_id, id DESC);
CREATE INDEX payments_pending ON payments (next_check_at) WHERE status = 'PENDING';
CREATE INDEX payments_approved_at ON payments (approved_at) WHERE approved_at IS NOT NULL;

CREATE TYPE refund_status AS ENUM ('PENDING', 'DONE', 'FAILED');
CREATE TABLE refunds (
  id              uuid PRIMARY KEY,
  -- idempotency: the refund id of the command or mutation, or `order-cancelled:<orderId>`
  request_key     text NOT NULL UNIQUE,
  payment_id      uuid NOT NULL REFERENCES payments (id),
  amount          integer NOT NULL CHECK (amount > 0),
  reason          text NOT NULL,
  status          refund_status NOT NULL,
  requested_by    uuid,
  failure_code    text,
  failure_message text,
  next_check_at   timestamptz(3),
  completed_at    timestamptz(3),
  created_at      timestamptz(3) NOT NULL DEFAULT now(),
  updated_at      timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX refunds_of_payment ON refunds (payment_id);
CREATE INDEX refunds_pending ON refunds (next_check_at) WHERE status = 'PENDING';
CREATE INDEX refunds_completed_at ON refunds (completed_at) WHERE status = 'DONE';

-- The wallet's append-only ledger: the balance always equals the sum of its entries.
CREATE TYPE wallet_entry_type AS ENUM ('TOP_UP', 'CHARGE', 'REFUND', 'WITHDRAW');
CREATE TABLE wallet_entries (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES wallets (user_id),
  type          wallet_entry_type NOT NULL,
  -- signed: TOP_UP and REFUND credit, CHARGE and WITHDRAW debit
  amount        integer NOT NULL CHECK (amount <> 0),
  balance_after integer NOT NULL CHECK (balance_after >= 0),
  payment_id    uuid NOT NULL REFERENCES payments (id),
  refund_id     uuid REFERENCES refunds (id),
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  CHECK ((type IN ('TOP_UP', 'REFUND')) = (amount > 0)),
  CHECK ((type = 'REFUND') = (refund_id IS NOT NULL))
);
CREATE INDEX wallet_entries_history ON wallet_entries (user_id, id DESC);
-- one TOP_UP or CHARGE per payment, one REFUND per refund
CREATE UNIQUE INDEX wallet_entries_once_per_payment ON wallet_entries (payment_id, type) WHERE refund_id IS NULL;
CREATE UNIQUE INDEX wallet_entries_once_per_refund ON wallet_entries (refund_id) WHERE refund_id IS NOT NULL;

CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'wallet_entries is append-only';
END $$;
CREATE TRIGGER wallet_entries_append_only BEFORE UPDATE OR DELETE ON wallet_entries
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();

-- migrate:down
DROP TABLE wallet_entries;
DROP FUNCTION refuse_ledger_change;
DROP TYPE wallet_entry_type;
DROP TABLE refunds;
DROP TYPE refund_status;
DROP TABLE payments;
DROP TYPE payment_status;
DROP TYPE payment_method;
DROP TYPE payment_purpose;
DROP TABLE pin_checks;
DROP TABLE wallets;
DROP TABLE payable_orders;
DROP TYPE payable_order_status;
