import { RevocationKeyspace, type Role, type Viewer } from '@radiata/auth-context';
import { newId } from '@radiata/service-runtime';
import { type SubgraphResult, startTestSubgraph, type TestSubgraph } from '@radiata/testing';
import { usersSubgraph } from '../src/subgraph.js';

type Running = Awaited<ReturnType<typeof usersSubgraph.start>>;

let users: TestSubgraph<Running>;
/** SQL statements that read seller applications since the last reset (the DataLoader test). */
let applicationReads = 0;
let admin: Viewer;
let otherAdmin: Viewer;
beforeAll(async () => {
  users = await startTestSubgraph(usersSubgraph, {
    onQuery: (sql) => {
      if (/FROM\s+"public"\."seller_applications"/i.test(sql)) applicationReads++;
    },
  });
  [admin, otherAdmin] = await Promise.all([account('ADMIN'), account('ADMIN')]);
});
afterAll(() => users.stop());

// Published numbers of real companies (valid check digits), and one that is not valid.
const SAMSUNG = '124-81-00998';
const NAVER = '2208162517';
const KAKAO = '120-81-47521';
const COUPANG = '120-88-00767';
const LG = '107-86-14075';
const NOT_VALID = '124-81-00999';

const APPLICATION_FIELDS = /* GraphQL */ `
  id status businessName businessRegistrationNumber contact { name phone email }
  applicant { id } createdAt decidedAt decidedBy { id } rejectionReason
`;
const APPLY = `mutation($input: ApplyAsSellerInput!) { applyAsSeller(input: $input) { ${APPLICATION_FIELDS} } }`;
const APPROVE = `mutation($id: ID!) { approveSellerApplication(id: $id) { ${APPLICATION_FIELDS} } }`;
const REJECT = `mutation($id: ID!, $reason: String!) { rejectSellerApplication(id: $id, reason: $reason) { ${APPLICATION_FIELDS} } }`;
const ONE = `query($id: ID!) { sellerApplication(id: $id) { ${APPLICATION_FIELDS} } }`;
const MINE = `{ me { role sellerApplications { ${APPLICATION_FIELDS} } } }`;

interface ApplicationView {
  id: string;
  status: string;
  businessName: string;
  businessRegistrationNumber: string;
  contact: { name: string; phone: string; email: string };
  applicant: { id: string } | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: { id: string } | null;
  rejectionReason: string | null;
}

let accounts = 0;
/** A live account with `role` (signed up as a CUSTOMER, promoted in the database like the first admin). */
async function account(role: Role = 'CUSTOMER'): Promise<Viewer> {
  const user = await users.subgraph.services.accounts.signUp({
    email: `seller-applications.${process.pid}.${accounts++}@example.com`,
    password: 'password 123',
    name: 'Applicant',
  });
  if (role !== 'CUSTOMER') await users.sql('UPDATE users SET role = $1 WHERE id = $2', role, user.id);
  return { id: user.id, role };
}

const input = (businessRegistrationNumber: string, overrides: Record<string, unknown> = {}) => ({
  businessName: 'Hanbit Apparel',
  businessRegistrationNumber,
  contact: { name: 'Kim Minji', phone: '010-1234-5678', email: 'minji@hanbit.example' },
  ...overrides,
});

const apply = (viewer: Viewer | null, number: string, overrides: Record<string, unknown> = {}) =>
  users.client.call<{ applyAsSeller: ApplicationView }>(viewer, APPLY, { input: input(number, overrides) });

async function applied(viewer: Viewer, number: string): Promise<ApplicationView> {
  const answer = await apply(viewer, number);
  expect(answer.errors).toBeUndefined();
  return answer.data?.applyAsSeller as ApplicationView;
}

const approve = (viewer: Viewer | null, id: string) =>
  users.client.call<{ approveSellerApplication: ApplicationView }>(viewer, APPROVE, { id });
const reject = (viewer: Viewer | null, id: string, reason: string) =>
  users.client.call<{ rejectSellerApplication: ApplicationView }>(viewer, REJECT, { id, reason });

const codeOf = (answer: SubgraphResult<unknown>) => answer.errors?.[0]?.extensions?.code;

/** What the database holds for a user: their role, its version, their applications and role events. */
async function stateOf(userId: string) {
  const [user] = await users.sql<{ role: string; role_version: number }>(
    'SELECT role, role_version FROM users WHERE id = $1',
    userId,
  );
  const applications = await users.sql<{ status: string }>(
    'SELECT id, status, decided_at, decided_by, rejection_reason FROM seller_applications WHERE user_id = $1 ORDER BY id',
    userId,
  );
  const events = await users.sql<{ payload: { role: string; roleVersion: number } }>(
    `SELECT payload FROM outbox_messages WHERE routing_key = 'users.user.role-changed' AND payload->>'userId' = $1
     ORDER BY created_at, id`,
    userId,
  );
  if (!user) throw new Error(`no user ${userId}`);
  return { ...user, applications, events: events.map((row) => row.payload) };
}

const notBefore = (userId: string) =>
  users.subgraph.services.redis.get(new RevocationKeyspace(users.namespace.redisKeyPrefix).notBefore(userId));

describe('applying', () => {
  it('stores the application normalised and shows it to its applicant', async () => {
    const customer = await account();
    const answer = await apply(customer, NAVER, {
      businessName: '  Naver Shopping  ',
      contact: { name: ' Lee Seoyeon ', phone: '0212345678', email: ' Partners@Naver.Example ' },
    });
    expect(answer.errors).toBeUndefined();
    const application = answer.data?.applyAsSeller as ApplicationView;
    expect(application).toEqual({
      id: expect.any(String),
      status: 'PENDING',
      businessName: 'Naver Shopping',
      businessRegistrationNumber: '220-81-62517',
      contact: { name: 'Lee Seoyeon', phone: '02-1234-5678', email: 'partners@naver.example' },
      applicant: { id: customer.id },
      createdAt: expect.any(String),
      decidedAt: null,
      decidedBy: null,
      rejectionReason: null,
    });
    const [row] = await users.sql<Record<string, unknown>>(
      'SELECT business_registration_number, contact_phone FROM seller_applications WHERE id = $1',
      application.id,
    );
    expect(row).toEqual({ business_registration_number: '2208162517', contact_phone: '02-1234-5678' });

    const mine = await users.client.call<{ me: { sellerApplications: ApplicationView[] } }>(customer, MINE);
    expect(mine.data?.me.sellerApplications).toEqual([application]);
    expect((await users.client.call(customer, ONE, { id: application.id })).data).toEqual({
      sellerApplication: application,
    });
    expect((await reject(admin, application.id, 'Test over')).errors).toBeUndefined();
  });

  it('refuses invalid input naming each field, and writes nothing', async () => {
    const customer = await account();
    const before = await users.sql('SELECT id FROM seller_applications');
    const answer = await apply(customer, NOT_VALID, {
      businessName: ' ',
      contact: { name: 'x'.repeat(101), phone: '010-123-4567', email: 'not an email' },
    });
    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0]?.extensions?.problems).toEqual([
      { field: 'input.businessName', message: 'must not be empty' },
      { field: 'input.businessRegistrationNumber', message: expect.stringContaining('check digit') },
      { field: 'input.contact.name', message: 'must be at most 100 characters' },
      { field: 'input.contact.phone', message: expect.stringContaining('Korean phone number') },
      { field: 'input.contact.email', message: 'must be a valid email address' },
    ]);
    for (const number of ['124810099', '12-481-00998', '124-81-0099x', '']) {
      const wrong = await apply(customer, number);
      expect(wrong.errors?.[0]?.extensions?.problems).toEqual([
        {
          field: 'input.businessRegistrationNumber',
          message: 'must be 10 digits, with or without dashes (123-45-67890)',
        },
      ]);
    }
    expect(await users.sql('SELECT id FROM seller_applications')).toEqual(before);
  });

  it('is for signed-in customers only', async () => {
    const [seller, anotherAdmin] = await Promise.all([account('SELLER'), account('ADMIN')]);
    expect(codeOf(await apply(null, LG))).toBe('UNAUTHENTICATED');
    const asSeller = await apply(seller, LG);
    expect(asSeller.errors?.[0]).toMatchObject({
      message: 'Only customers apply to become sellers; this account is a SELLER',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(codeOf(await apply(anotherAdmin, LG))).toBe('FORBIDDEN');
    // A token that still says CUSTOMER for an account that is a SELLER by now: the account decides.
    expect(codeOf(await apply({ id: seller.id, role: 'CUSTOMER' }, LG))).toBe('FORBIDDEN');
    expect(
      await users.sql('SELECT id FROM seller_applications WHERE user_id = ANY($1)', [seller.id, anotherAdmin.id]),
    ).toEqual([]);
  });

  it('keeps one PENDING application per user, also when the same form is sent many times at once', async () => {
    const customer = await account();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => apply(customer, i % 2 ? KAKAO : COUPANG)));
    const accepted = answers.filter((answer) => answer.data?.applyAsSeller);
    expect(accepted).toHaveLength(1);
    for (const refused of answers.filter((answer) => !answer.data?.applyAsSeller)) {
      expect(refused.errors?.[0]).toMatchObject({
        message: 'You already have a pending seller application',
        extensions: { code: 'CONFLICT' },
      });
    }
    expect((await stateOf(customer.id)).applications).toEqual([expect.objectContaining({ status: 'PENDING' })]);
    // Released for the other tests: rejected.
    const id = accepted[0]?.data?.applyAsSeller.id as string;
    expect((await reject(admin, id, 'Test over')).errors).toBeUndefined();
  });

  it('gives a business registration number to one user at a time, even when two apply at once', async () => {
    const [first, second] = await Promise.all([account(), account()]);
    const answers = await Promise.all([apply(first, SAMSUNG), apply(second, SAMSUNG.replaceAll('-', ''))]);
    expect(answers.map(codeOf).sort()).toEqual(['CONFLICT', undefined]);
    const refused = answers.find((answer) => answer.errors) as SubgraphResult<unknown>;
    expect(refused.errors?.[0]?.message).toBe(
      'This business registration number belongs to another seller or a pending application',
    );
    const winner = answers[0]?.data ? first : second;
    const loser = winner === first ? second : first;
    const pending = (answers[0]?.data ?? answers[1]?.data) as { applyAsSeller: ApplicationView };

    // Rejected: the number is free again, for the loser as for the winner.
    expect((await reject(admin, pending.applyAsSeller.id, 'Documents missing')).errors).toBeUndefined();
    const again = await applied(loser, SAMSUNG);
    expect(codeOf(await apply(winner, SAMSUNG))).toBe('CONFLICT');

    // Approved: held by a live seller. Demoted, the number is free; promoted again, held again.
    expect((await approve(admin, again.id)).errors).toBeUndefined();
    expect(codeOf(await apply(winner, SAMSUNG))).toBe('CONFLICT');
    await users.subgraph.services.accounts.setRole(admin, loser.id, 'CUSTOMER');
    const third = await applied(winner, SAMSUNG);
    expect((await reject(admin, third.id, 'Not now')).errors).toBeUndefined();
  });
});

describe('deciding', () => {
  it('approves: the applicant becomes a SELLER with its event, in one transaction, and their tokens are refused', async () => {
    const customer = await account();
    const application = await applied(customer, KAKAO);
    const before = await stateOf(customer.id);
    const decidedAfter = Date.now();

    const answer = await approve(admin, application.id);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.approveSellerApplication).toMatchObject({
      id: application.id,
      status: 'APPROVED',
      decidedBy: { id: admin.id },
      rejectionReason: null,
    });
    const decidedAt = Date.parse(answer.data?.approveSellerApplication.decidedAt as string);
    expect(decidedAt).toBeGreaterThanOrEqual(decidedAfter - 1);

    const after = await stateOf(customer.id);
    expect(after.role).toBe('SELLER');
    expect(after.role_version).toBe(before.role_version + 1);
    expect(after.applications).toEqual([expect.objectContaining({ status: 'APPROVED', decided_by: admin.id })]);
    expect(after.events).toEqual([
      ...before.events,
      expect.objectContaining({ userId: customer.id, role: 'SELLER', roleVersion: after.role_version, deleted: false }),
    ]);
    // Every access token issued before the approval is refused (the gateway reads this key).
    expect(Number(await notBefore(customer.id))).toBeGreaterThanOrEqual(decidedAt);

    // The applicant sees the decision, but not which admin took it.
    const mine = await users.client.call<{ me: { role: string; sellerApplications: ApplicationView[] } }>(
      { id: customer.id, role: 'SELLER' },
      MINE,
    );
    expect(mine.data?.me).toEqual({
      role: 'SELLER',
      sellerApplications: [expect.objectContaining({ status: 'APPROVED', decidedBy: null })],
    });
    // Decided once.
    const twice = await approve(otherAdmin, application.id);
    expect(twice.errors?.[0]).toMatchObject({
      message: 'This application has already been approved',
      extensions: { code: 'CONFLICT' },
    });
    expect(codeOf(await reject(otherAdmin, application.id, 'Too late'))).toBe('CONFLICT');
    expect(await stateOf(customer.id)).toEqual(after);
    // The number is free again for the other tests: its seller demoted.
    await users.subgraph.services.accounts.setRole(admin, customer.id, 'CUSTOMER');
  });

  it('rejects with a reason the applicant reads; they may apply again', async () => {
    const customer = await account();
    const application = await applied(customer, COUPANG);
    for (const reason of ['', '   ', 'x'.repeat(501)]) {
      const refused = await reject(admin, application.id, reason);
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        problems: [{ field: 'reason' }],
      });
    }
    expect((await stateOf(customer.id)).applications).toEqual([expect.objectContaining({ status: 'PENDING' })]);

    const rejected = await reject(admin, application.id, ' The registration certificate is unreadable. ');
    expect(rejected.errors).toBeUndefined();
    expect(rejected.data?.rejectSellerApplication).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'The registration certificate is unreadable.',
      decidedBy: { id: admin.id },
    });
    const state = await stateOf(customer.id);
    expect(state.role).toBe('CUSTOMER');
    expect(state.events).toEqual([]);

    const mine = await users.client.call<{ me: { sellerApplications: ApplicationView[] } }>(customer, MINE);
    expect(mine.data?.me.sellerApplications).toEqual([
      expect.objectContaining({
        id: application.id,
        status: 'REJECTED',
        rejectionReason: 'The registration certificate is unreadable.',
        decidedAt: expect.any(String),
        decidedBy: null,
      }),
    ]);
    const second = await applied(customer, COUPANG);
    const listed = await users.client.call<{ me: { sellerApplications: { id: string; status: string }[] } }>(
      customer,
      '{ me { sellerApplications { id status } } }',
    );
    expect(listed.data?.me.sellerApplications).toEqual([
      { id: second.id, status: 'PENDING' },
      { id: application.id, status: 'REJECTED' },
    ]);
    expect((await reject(admin, second.id, 'Test over')).errors).toBeUndefined();
  });

  it('lets exactly one of two admins deciding at once win', async () => {
    for (let round = 0; round < 4; round++) {
      const customer = await account();
      const application = await applied(customer, LG);
      const racers =
        round % 2
          ? [approve(admin, application.id), approve(otherAdmin, application.id)]
          : [approve(admin, application.id), reject(otherAdmin, application.id, 'Duplicate of another application')];
      const answers = await Promise.all(racers);
      expect(answers.map(codeOf).filter((code) => code === undefined)).toHaveLength(1);
      expect(answers.map(codeOf).filter((code) => code === 'CONFLICT')).toHaveLength(1);
      const won = answers.find((answer) => !answer.errors)?.data as Record<string, ApplicationView>;
      const decision = Object.values(won)[0] as ApplicationView;

      const state = await stateOf(customer.id);
      expect(state.applications).toEqual([expect.objectContaining({ status: decision.status })]);
      expect(state.role).toBe(decision.status === 'APPROVED' ? 'SELLER' : 'CUSTOMER');
      expect(state.events).toHaveLength(decision.status === 'APPROVED' ? 1 : 0);
      // The number is free again for the next round: its seller demoted.
      if (decision.status === 'APPROVED')
        await users.subgraph.services.accounts.setRole(admin, customer.id, 'CUSTOMER');
    }
  });

  it('refuses an approval that would break a rule, changing nothing: role, event and application roll back', async () => {
    // A seller approved for the number, demoted (the number is free), then another applies with it,
    // then the first is made a SELLER again by hand: approving the second would give the number twice.
    const [holder, applicant] = await Promise.all([account(), account()]);
    const held = await applied(holder, '220-81-62517');
    expect((await approve(admin, held.id)).errors).toBeUndefined();
    await users.subgraph.services.accounts.setRole(admin, holder.id, 'CUSTOMER');
    const application = await applied(applicant, '2208162517');
    await users.subgraph.services.accounts.setRole(admin, holder.id, 'SELLER');
    const before = await stateOf(applicant.id);

    const refused = await approve(admin, application.id);
    expect(refused.errors?.[0]).toMatchObject({
      message: 'This business registration number belongs to another seller or a pending application',
      extensions: { code: 'CONFLICT' },
    });
    expect(await stateOf(applicant.id)).toEqual(before);
    expect(before.applications).toEqual([expect.objectContaining({ status: 'PENDING', decided_at: null })]);

    // An applicant made a SELLER by hand meanwhile is not approved over it either.
    await users.subgraph.services.accounts.setRole(admin, holder.id, 'CUSTOMER');
    await users.subgraph.services.accounts.setRole(admin, applicant.id, 'SELLER');
    const already = await approve(admin, application.id);
    expect(already.errors?.[0]).toMatchObject({
      message: 'The applicant is a SELLER already: reject it instead',
      extensions: { code: 'CONFLICT' },
    });
    expect((await reject(admin, application.id, 'Made a seller by hand')).errors).toBeUndefined();
  });

  it('withdraws the application of a deleted account: the decision is refused and the number is free', async () => {
    const [customer, next] = await Promise.all([account(), account()]);
    const application = await applied(customer, KAKAO);
    await users.sql('UPDATE users SET deleted_at = now(), role_version = role_version + 1 WHERE id = $1', customer.id);

    for (const answer of [await approve(admin, application.id), await reject(admin, application.id, 'Gone')]) {
      expect(answer.errors?.[0]).toMatchObject({
        message: "This application was withdrawn: the applicant's account has been deleted",
        extensions: { code: 'CONFLICT' },
      });
    }
    const state = await stateOf(customer.id);
    expect(state.role).toBe('CUSTOMER');
    expect(state.applications).toEqual([
      expect.objectContaining({ status: 'WITHDRAWN', decided_at: expect.any(Date), decided_by: null }),
    ]);
    const seen = await users.client.call<{ sellerApplication: ApplicationView }>(admin, ONE, { id: application.id });
    expect(seen.data?.sellerApplication).toMatchObject({ status: 'WITHDRAWN', applicant: null });
    expect((await applied(next, KAKAO)).status).toBe('PENDING');
    const [pending] = await users.sql<{ id: string }>(
      "SELECT id FROM seller_applications WHERE user_id = $1 AND status = 'PENDING'",
      next.id,
    );
    expect((await reject(admin, pending?.id as string, 'Test over')).errors).toBeUndefined();
  });

  it('an approval racing the deletion of the account either wins or is refused, never both, never an error', async () => {
    for (let round = 0; round < 4; round++) {
      const customer = await account();
      const application = await applied(customer, LG);
      const [approval] = await Promise.all([
        approve(admin, application.id),
        users.sql('UPDATE users SET deleted_at = now(), role_version = role_version + 1 WHERE id = $1', customer.id),
      ]);
      const state = await stateOf(customer.id);
      if (approval.errors) {
        expect(codeOf(approval)).toBe('CONFLICT');
        expect(state.applications).toEqual([expect.objectContaining({ status: 'WITHDRAWN' })]);
        expect(state.events).toEqual([]);
      } else {
        expect(state.applications).toEqual([expect.objectContaining({ status: 'APPROVED' })]);
        expect(state.events).toEqual([expect.objectContaining({ role: 'SELLER' })]);
      }
    }
  });
});

describe('who sees what', () => {
  it('shows an application only to its applicant and to admins; lists and decisions are for admins', async () => {
    const [customer, stranger, seller] = await Promise.all([account(), account(), account('SELLER')]);
    const application = await applied(customer, COUPANG);

    for (const viewer of [stranger, seller]) {
      expect(codeOf(await users.client.call(viewer, ONE, { id: application.id }))).toBe('NOT_FOUND');
    }
    expect(codeOf(await users.client.call(null, ONE, { id: application.id }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await users.client.call(admin, ONE, { id: newId() }))).toBe('NOT_FOUND');
    expect(codeOf(await users.client.call(admin, ONE, { id: 'not-an-id' }))).toBe('NOT_FOUND');
    const seen = await users.client.call<{ sellerApplication: ApplicationView }>(admin, ONE, { id: application.id });
    expect(seen.data?.sellerApplication).toMatchObject({ id: application.id, applicant: { id: customer.id } });

    const list = '{ sellerApplications { edges { node { id } } } }';
    expect(codeOf(await users.client.call(null, list))).toBe('UNAUTHENTICATED');
    for (const viewer of [customer, seller]) {
      expect(codeOf(await users.client.call(viewer, list))).toBe('FORBIDDEN');
      expect(codeOf(await approve(viewer, application.id))).toBe('FORBIDDEN');
      expect(codeOf(await reject(viewer, application.id, 'No'))).toBe('FORBIDDEN');
    }
    expect(codeOf(await approve(null, application.id))).toBe('UNAUTHENTICATED');
    expect(codeOf(await approve(admin, newId()))).toBe('NOT_FOUND');
    expect(codeOf(await reject(admin, 'nope', 'No'))).toBe('NOT_FOUND');
    expect((await stateOf(customer.id)).applications).toEqual([expect.objectContaining({ status: 'PENDING' })]);

    // Another user's applications through the User entity: null, as their points are.
    const entity = `{ _entities(representations: [{ __typename: "User", id: "${customer.id}" }]) { ... on User { sellerApplications { id } } } }`;
    expect((await users.client.call(stranger, entity)).data).toEqual({ _entities: [{ sellerApplications: null }] });
    expect((await users.client.call(admin, entity)).data).toEqual({
      _entities: [{ sellerApplications: [{ id: application.id }] }],
    });
    expect((await reject(admin, application.id, 'Test over')).errors).toBeUndefined();
  });

  it('lists for admins newest first, by status, page by page; applications of many users load in one query', async () => {
    const applicants = await Promise.all([account(), account(), account()]);
    const numbers = [NAVER, KAKAO, LG];
    const ids: string[] = [];
    for (const [index, applicant] of applicants.entries()) {
      ids.push((await applied(applicant, numbers[index] as string)).id);
    }
    const page = async (after?: string) =>
      users.client.call<{
        sellerApplications: {
          edges: { node: { id: string; applicant: { sellerApplications: { id: string }[] } } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(
        admin,
        'query($after: String) { sellerApplications(status: PENDING, first: 2, after: $after) { edges { node { id applicant { sellerApplications { id } } } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
    applicationReads = 0;
    const first = await page();
    // The page itself, then every applicant's applications in one batch.
    expect(applicationReads).toBe(2);
    expect(first.data?.sellerApplications.edges.map((edge) => edge.node.id)).toEqual([ids[2], ids[1]]);
    expect(first.data?.sellerApplications.edges[0]?.node.applicant.sellerApplications).toEqual([{ id: ids[2] }]);
    expect(first.data?.sellerApplications.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.data?.sellerApplications.pageInfo.endCursor);
    expect(second.data?.sellerApplications.edges[0]?.node.id).toBe(ids[0]);

    await reject(admin, ids[0] as string, 'Test over');
    const rejected = await users.client.call<{ sellerApplications: { edges: { node: { id: string } }[] } }>(
      admin,
      '{ sellerApplications(status: REJECTED, first: 100) { edges { node { id status } } } }',
    );
    expect(rejected.data?.sellerApplications.edges.map((edge) => edge.node.id)).toContain(ids[0]);
    expect(rejected.data?.sellerApplications.edges.map((edge) => edge.node.id)).not.toContain(ids[1]);
    expect(codeOf(await users.client.call(admin, '{ sellerApplications(first: 0) { edges { cursor } } }'))).toBe(
      'BAD_USER_INPUT',
    );
    await Promise.all([reject(admin, ids[1] as string, 'Test over'), reject(admin, ids[2] as string, 'Test over')]);
  });
});

describe('the seller_applications table', () => {
  it('round-trips every field through the Prisma client and keeps decisions final', async () => {
    const { db } = users.subgraph.services;
    const customer = await account();
    const at = new Date('2026-12-04T03:00:00.123Z');
    const row = await db.sellerApplication.create({
      data: {
        id: newId(),
        userId: customer.id,
        businessName: 'Drift',
        businessRegistrationNumber: '1248100998',
        contactName: 'Drift',
        contactPhone: '1588-1234',
        contactEmail: 'drift@example.com',
        status: 'REJECTED',
        createdAt: at,
        decidedAt: at,
        decidedBy: admin.id,
        rejectionReason: 'drift',
      },
    });
    expect(await db.sellerApplication.findUniqueOrThrow({ where: { id: row.id } })).toEqual(row);

    const refused = (sql: string, ...values: unknown[]) => expect(users.sql(sql, ...values)).rejects.toThrow();
    await refused("UPDATE seller_applications SET status = 'APPROVED', rejection_reason = NULL WHERE id = $1", row.id);
    await refused("UPDATE seller_applications SET rejection_reason = 'changed' WHERE id = $1", row.id);
    await refused('DELETE FROM seller_applications WHERE id = $1', row.id);
    // Contact details stay erasable (an account's personal data).
    await users.sql("UPDATE seller_applications SET contact_name = 'erased' WHERE id = $1", row.id);
    // The checks: digits only, a written phone, a reason only with a rejection, a decider only with a decision.
    const base = `INSERT INTO seller_applications (id, user_id, business_name, business_registration_number,
      contact_name, contact_phone, contact_email, status, decided_at, decided_by, rejection_reason)`;
    await refused(
      `${base} VALUES ($1, $2, 'B', '124-81-00998', 'N', '010-1234-5678', 'e@x.dev', 'PENDING', NULL, NULL, NULL)`,
      newId(),
      customer.id,
    );
    await refused(
      `${base} VALUES ($1, $2, 'B', '1248100998', 'N', '01012345678', 'e@x.dev', 'PENDING', NULL, NULL, NULL)`,
      newId(),
      customer.id,
    );
    await refused(
      `${base} VALUES ($1, $2, 'B', '1248100998', 'N', '010-1234-5678', 'e@x.dev', 'APPROVED', now(), NULL, NULL)`,
      newId(),
      customer.id,
    );
    await refused(
      `${base} VALUES ($1, $2, 'B', '1248100998', 'N', '010-1234-5678', 'e@x.dev', 'APPROVED', now(), $3, 'why')`,
      newId(),
      customer.id,
      admin.id,
    );
    await refused(
      `${base} VALUES ($1, $2, 'B', '1248100998', 'N', '010-1234-5678', 'E@x.dev', 'PENDING', NULL, NULL, NULL)`,
      newId(),
      customer.id,
    );
  });
});

describe('setUserRole', () => {
  it('still changes the role through the same machinery: version, event, tokens refused', async () => {
    const customer = await account();
    const before = await stateOf(customer.id);
    const answer = await users.client.call<{ setUserRole: { role: string } }>(
      admin,
      'mutation($id: ID!) { setUserRole(userId: $id, role: SELLER) { role } }',
      { id: customer.id },
    );
    expect(answer.data?.setUserRole.role).toBe('SELLER');
    const after = await stateOf(customer.id);
    expect(after.role_version).toBe(before.role_version + 1);
    expect(after.events).toEqual([expect.objectContaining({ role: 'SELLER', roleVersion: after.role_version })]);
    expect(await notBefore(customer.id)).not.toBeNull();
    expect(
      codeOf(
        await users.client.call(admin, 'mutation($id: ID!) { setUserRole(userId: $id, role: SELLER) { role } }', {
          id: newId(),
        }),
      ),
    ).toBe('NOT_FOUND');
  });
});
