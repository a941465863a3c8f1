import { eventually, type GraphQLResponse, graphql } from '@radiata/testing';
import { type SignedIn, signUp } from './support/accounts.js';
import { createBrand, ok, unique } from './support/catalog.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

// Seller onboarding through the gateway: a customer applies, an admin approves, and the customer's
// next token carries SELLER (the old one is refused) while the catalog hears of the new seller.

const APPLICATION_FIELDS = 'id status businessName businessRegistrationNumber contact { phone email } rejectionReason';
const APPLY = `mutation($input: ApplyAsSellerInput!) { applyAsSeller(input: $input) { ${APPLICATION_FIELDS} } }`;
const PENDING = /* GraphQL */ `
  { sellerApplications(status: PENDING, first: 100) { edges { node { id businessName applicant { id email role } } } } }
`;
const APPROVE = 'mutation($id: ID!) { approveSellerApplication(id: $id) { id status decidedAt decidedBy { id } } }';
const REJECT = `mutation($id: ID!, $reason: String!) { rejectSellerApplication(id: $id, reason: $reason) { ${APPLICATION_FIELDS} } }`;
const MINE = `{ me { role sellerApplications { ${APPLICATION_FIELDS} decidedAt } } }`;
const REFRESH = 'mutation($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }';
const CREATE_BRAND = 'mutation($input: CreateBrandInput!) { createBrand(input: $input) { id owner { id name } } }';

interface Application {
  id: string;
  status: string;
  businessName: string;
  businessRegistrationNumber: string;
  contact: { phone: string; email: string };
  rejectionReason: string | null;
}

let graph: TestGraph;
let admin: SignedIn;
beforeAll(async () => {
  graph = await startTestGraph();
  admin = await signUp(graph, 'ADMIN');
});
afterAll(() => graph.stop());

const applicationInput = (businessName: string, businessRegistrationNumber: string) => ({
  businessName,
  businessRegistrationNumber,
  contact: { name: 'Kim Minji', phone: '01012345678', email: 'Minji@Hanbit.example' },
});

function expectSessionEnded(response: GraphQLResponse) {
  expect(response.status).toBe(401);
  expect(response.errors).toEqual([
    { message: 'Session ended; sign in again', extensions: { code: 'UNAUTHENTICATED' } },
  ]);
}

it('a customer applies, an admin approves, and the customer comes back as a SELLER who creates brands', async () => {
  const customer = await signUp(graph);
  const businessName = unique('Hanbit Apparel');
  const { applyAsSeller: application } = await ok<{ applyAsSeller: Application }>(
    graph,
    APPLY,
    { input: applicationInput(businessName, '1248100998') },
    customer,
  );
  expect(application).toMatchObject({
    status: 'PENDING',
    businessRegistrationNumber: '124-81-00998',
    contact: { phone: '010-1234-5678', email: 'minji@hanbit.example' },
  });

  const queue = await ok<{
    sellerApplications: { edges: { node: { id: string; businessName: string; applicant: unknown } }[] };
  }>(graph, PENDING, {}, admin);
  expect(queue.sellerApplications.edges.map((edge) => edge.node)).toContainEqual({
    id: application.id,
    businessName,
    applicant: { id: customer.id, email: customer.email, role: 'CUSTOMER' },
  });

  const approved = await ok<{ approveSellerApplication: { status: string; decidedBy: { id: string } } }>(
    graph,
    APPROVE,
    { id: application.id },
    admin,
  );
  expect(approved.approveSellerApplication).toMatchObject({ status: 'APPROVED', decidedBy: { id: admin.id } });

  // The CUSTOMER token is refused at once; a refresh carries the new role.
  expectSessionEnded(await graphql(graph.gateway.url, '{ me { role } }', { token: customer.accessToken }));
  const refreshed = await graphql<{ refreshToken: { accessToken: string; refreshToken: string } }>(
    graph.gateway.url,
    REFRESH,
    { variables: { token: customer.refreshToken } },
  );
  expect(refreshed.errors).toBeUndefined();
  const seller: SignedIn = { ...customer, ...(refreshed.data?.refreshToken as SignedIn) };
  const me = await ok<{ me: { role: string; sellerApplications: Application[] } }>(graph, MINE, {}, seller);
  expect(me.me).toMatchObject({ role: 'SELLER', sellerApplications: [{ id: application.id, status: 'APPROVED' }] });

  // Their own brand, as a SELLER's token allows.
  const brandId = await createBrand(graph, seller, unique('Hanbit'));
  const brand = await ok<{ brand: { owner: { id: string } } }>(
    graph,
    'query($id: ID!) { brand(id: $id) { owner { id } } }',
    { id: brandId },
  );
  expect(brand.brand.owner).toEqual({ id: seller.id });
  // The catalog heard of the new seller (users.user.role-changed): an admin may now give them a brand.
  await eventually(async () => {
    const known = await graph.catalog.sql<{ role: string }>(
      'SELECT role FROM user_roles WHERE user_id = $1',
      seller.id,
    );
    return known[0]?.role === 'SELLER';
  });
  const given = await ok<{ createBrand: { owner: { id: string } } }>(
    graph,
    CREATE_BRAND,
    { input: { name: unique('Given'), ownerId: seller.id } },
    admin,
  );
  expect(given.createBrand.owner).toMatchObject({ id: seller.id });
});

it('a rejected applicant reads the reason and may apply again', async () => {
  const customer = await signUp(graph);
  const { applyAsSeller: application } = await ok<{ applyAsSeller: Application }>(
    graph,
    APPLY,
    { input: applicationInput(unique('Jeju Knitworks'), '120-81-47521') },
    customer,
  );
  const reason = 'The business name does not match the registration certificate.';
  const rejected = await ok<{ rejectSellerApplication: Application }>(
    graph,
    REJECT,
    { id: application.id, reason },
    admin,
  );
  expect(rejected.rejectSellerApplication).toMatchObject({ status: 'REJECTED', rejectionReason: reason });

  // Nothing about the account changed: the customer's token still works and sees the reason.
  const me = await ok<{ me: { role: string; sellerApplications: (Application & { decidedAt: string })[] } }>(
    graph,
    MINE,
    {},
    customer,
  );
  expect(me.me.role).toBe('CUSTOMER');
  expect(me.me.sellerApplications).toEqual([
    expect.objectContaining({
      id: application.id,
      status: 'REJECTED',
      rejectionReason: reason,
      decidedAt: expect.any(String),
    }),
  ]);
  const again = await ok<{ applyAsSeller: Application }>(
    graph,
    APPLY,
    { input: applicationInput(unique('Jeju Knitworks'), '1208147521') },
    customer,
  );
  expect(again.applyAsSeller.status).toBe('PENDING');
});

it('only admins list and decide; a customer cannot approve their own application', async () => {
  const customer = await signUp(graph);
  const { applyAsSeller: application } = await ok<{ applyAsSeller: Application }>(
    graph,
    APPLY,
    { input: applicationInput(unique('Busan Runners'), '120-88-00767') },
    customer,
  );
  const asCustomer = (query: string, variables: Record<string, unknown> = {}) =>
    graphql(graph.gateway.url, query, { token: customer.accessToken, variables });

  const approval = await asCustomer(APPROVE, { id: application.id });
  expect(approval.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await asCustomer(REJECT, { id: application.id, reason: 'no' })).errors?.[0]?.extensions?.code).toBe(
    'FORBIDDEN',
  );
  expect((await asCustomer(PENDING)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect((await graphql(graph.gateway.url, PENDING)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  const me = await ok<{ me: { role: string; sellerApplications: Application[] } }>(graph, MINE, {}, customer);
  expect(me.me).toMatchObject({ role: 'CUSTOMER', sellerApplications: [{ id: application.id, status: 'PENDING' }] });
});
