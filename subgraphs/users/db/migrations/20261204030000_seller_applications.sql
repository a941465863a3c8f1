-- migrate:up
-- Seller onboarding: a CUSTOMER applies with their business, an ADMIN approves (the user becomes a
-- SELLER in the same transaction, with its users.user.role-changed event) or rejects with a reason.
-- WITHDRAWN: the applicant's account was deleted before anyone decided (set by the trigger below).
CREATE TYPE seller_application_status AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN');

CREATE TABLE seller_applications (
  id                           uuid PRIMARY KEY,
  user_id                      uuid NOT NULL REFERENCES users (id),
  business_name                text NOT NULL CHECK (length(business_name) BETWEEN 1 AND 100),
  -- 사업자등록번호: ten digits, no dashes (the application checks the check digit)
  business_registration_number text NOT NULL CHECK (business_registration_number ~ '^[0-9]{10}$'),
  -- The contact person; all three erased (NULL) when the applicant deletes their account.
  contact_name                 text CHECK (length(contact_name) BETWEEN 1 AND 100),
  -- written as 010-1234-5678, 02-123-4567, 031-1234-5678 or 1588-1234
  contact_phone                text CHECK (contact_phone ~ '^(0[0-9]{1,2}-[1-9][0-9]{2,3}|1[5689][0-9]{2})-[0-9]{4}$'),
  contact_email                text CHECK (contact_email = lower(contact_email)),
  CHECK ((contact_name IS NULL) = (contact_phone IS NULL) AND (contact_name IS NULL) = (contact_email IS NULL)),
  status                       seller_application_status NOT NULL DEFAULT 'PENDING',
  created_at                   timestamptz(3) NOT NULL DEFAULT now(),
  -- The decision, written once (see the trigger below): when, by which ADMIN, and why a rejection.
  decided_at                   timestamptz(3),
  decided_by                   uuid REFERENCES users (id),
  rejection_reason             text CHECK (length(rejection_reason) BETWEEN 1 AND 500),
  CHECK ((status = 'PENDING') = (decided_at IS NULL)),
  CHECK ((status IN ('APPROVED', 'REJECTED')) = (decided_by IS NOT NULL)),
  CHECK ((status = 'REJECTED') = (rejection_reason IS NOT NULL))
);
-- At most one PENDING application per user: of two concurrent submissions one fails here.
CREATE UNIQUE INDEX seller_applications_one_pending ON seller_applications (user_id) WHERE status = 'PENDING';
-- A user's applications, newest first (User.sellerApplications).
CREATE INDEX seller_applications_by_user ON seller_applications (user_id, id DESC);
-- The admins' queue: newest first, of one status.
CREATE INDEX seller_applications_by_status ON seller_applications (status, id DESC);
-- Who else holds a business registration number (checked under an advisory lock per number).
CREATE INDEX seller_applications_by_number ON seller_applications (business_registration_number);

-- A decision is final: once an application has left PENDING, what was decided, by whom, when and
-- why never changes, and no application is ever deleted. The rows are their own audit trail.
CREATE FUNCTION keep_seller_decisions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'seller applications are never deleted';
  END IF;
  IF OLD.status <> 'PENDING' AND (NEW.status, NEW.decided_at, NEW.decided_by, NEW.rejection_reason, NEW.user_id,
      NEW.business_name, NEW.business_registration_number, NEW.created_at)
      IS DISTINCT FROM (OLD.status, OLD.decided_at, OLD.decided_by, OLD.rejection_reason, OLD.user_id,
      OLD.business_name, OLD.business_registration_number, OLD.created_at) THEN
    RAISE EXCEPTION 'a decided seller application cannot change';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER seller_applications_decisions_final BEFORE UPDATE OR DELETE ON seller_applications
  FOR EACH ROW EXECUTE FUNCTION keep_seller_decisions();

-- An account deleted while its application waits: the application is WITHDRAWN in the deleting
-- transaction, however the account is deleted, so no admin can approve it and its business
-- registration number is free again.
CREATE FUNCTION withdraw_seller_applications() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE seller_applications SET status = 'WITHDRAWN', decided_at = now()
  WHERE user_id = NEW.id AND status = 'PENDING';
  RETURN NULL;
END $$;
CREATE TRIGGER users_withdraw_seller_applications AFTER UPDATE OF deleted_at ON users
  FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL)
  EXECUTE FUNCTION withdraw_seller_applications();

-- migrate:down
DROP TRIGGER users_withdraw_seller_applications ON users;
DROP FUNCTION withdraw_seller_applications;
DROP TABLE seller_applications;
DROP FUNCTION keep_seller_decisions;
DROP TYPE seller_application_status;
