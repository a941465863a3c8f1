import type { Viewer } from '@radiata/auth-context';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { newId } from '@radiata/service-runtime';
import { eventually, type HeardMessage, overhear, TestClock, testLogger } from '@radiata/testing';
import { republishCatalog } from '../src/domain/republish.js';
import {
  CATALOG_BRAND_CHANGED,
  CATALOG_EXCHANGE,
  CATALOG_GRADE_CHANGED,
  recordEvents,
} from '../src/messaging/catalog-events.js';
import { admin, type CatalogStack, customer, newProduct, seller, startCatalog, unique } from './support.js';

const clock = new TestClock();
let catalog: CatalogStack;
let observer: Rabbit;
let brandEvents: HeardMessage[];
let gradeEvents: HeardMessage[];
/** The SQL the subgraph runs while set. */
let recording: string[] | undefined;

beforeAll(async () => {
  catalog = await startCatalog({ clock, onQuery: (sql) => recording?.push(sql) });
  // Listens where the subgraph's relay publishes: the broker, in the run's namespace.
  observer = await connectRabbit({
    url: 'amqp://guest:guest@127.0.0.1:5672',
    name: 'catalog-brand-grades-test-observer',
    logger: testLogger('catalog-brand-grades'),
    namespace: catalog.namespace.rabbitmq,
  });
  brandEvents = await overhear(observer, CATALOG_EXCHANGE, CATALOG_BRAND_CHANGED);
  gradeEvents = await overhear(observer, CATALOG_EXCHANGE, CATALOG_GRADE_CHANGED);
});

afterAll(async () => {
  await observer.close();
  await catalog.stop();
});

afterEach(() => clock.set(undefined));

/** Calls the subgraph as `viewer` and returns its data, failing the test on any error. */
async function ok<T>(viewer: Viewer | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await catalog.client.call<T>(viewer, query, variables);
  if (result.errors?.length || !result.data) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

const codeOf = async (viewer: Viewer | null, query: string, variables: Record<string, unknown> = {}) =>
  (await catalog.client.call(viewer, query, variables)).errors?.[0]?.extensions?.code;

const GRADES = '{ brandGrades { code name feeRatePercent updatedAt } }';
const CREATE_GRADE =
  'mutation($input: CreateBrandGradeInput!) { createBrandGrade(input: $input) { code name feeRatePercent updatedAt } }';
const UPDATE_GRADE = /* GraphQL */ `
  mutation($code: String!, $input: UpdateBrandGradeInput!) {
    updateBrandGrade(code: $code, input: $input) { code name feeRatePercent updatedAt }
  }
`;
const CREATE_BRAND = 'mutation($input: CreateBrandInput!) { createBrand(input: $input) { id } }';
const SET_GRADE = /* GraphQL */ `
  mutation($brandId: ID!, $grade: String!) {
    setBrandGrade(brandId: $brandId, grade: $grade) { id grade { code name feeRatePercent } }
  }
`;
const BRAND_GRADE = 'query($id: ID!) { brand(id: $id) { id grade { code name feeRatePercent } } }';

interface GradeView {
  code: string;
  name: string;
  feeRatePercent: number;
  updatedAt: string;
}

interface OutboxEvent {
  id: string;
  exchange: string;
  payload: Record<string, unknown>;
}

/** The events of `routingKey` the catalog committed to its outbox whose payload `key` is `value`, oldest version first. */
const outbox = (routingKey: string, key: string, value: string) =>
  catalog.sql<OutboxEvent>(
    `SELECT id::text, exchange, payload FROM outbox_messages
      WHERE routing_key = $1 AND payload->>$2 = $3
      ORDER BY (payload->>'version')::int, created_at, id`,
    routingKey,
    key,
    value,
  );

const gradeRows = () =>
  catalog.sql<{ row: Record<string, unknown> }>('SELECT to_jsonb(g) AS row FROM brand_grades g ORDER BY code');
const gradeEventCount = async () =>
  (
    await catalog.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox_messages WHERE routing_key = $1',
      CATALOG_GRADE_CHANGED,
    )
  )[0]?.n;

const newBrand = async (owner: Viewer) =>
  (await ok<{ createBrand: { id: string } }>(owner, CREATE_BRAND, { input: { name: unique('Maison') } })).createBrand
    .id;

const brandRow = async (id: string) =>
  catalog.services.db.brand.findUniqueOrThrow({ where: { id }, select: { grade: true, version: true } });

describe('the grade table', () => {
  it('is seeded with BASIC, SILVER and GOLD, shown by code to admins and sellers only', async () => {
    for (const viewer of [admin, seller()]) {
      const { brandGrades } = await ok<{ brandGrades: GradeView[] }>(viewer, GRADES);
      const codes = brandGrades.map((grade) => grade.code);
      expect(codes).toEqual([...codes].sort());
      expect(brandGrades.filter((grade) => ['BASIC', 'SILVER', 'GOLD'].includes(grade.code))).toEqual([
        { code: 'BASIC', name: 'Basic', feeRatePercent: 3.5, updatedAt: expect.any(String) },
        { code: 'GOLD', name: 'Gold', feeRatePercent: 2.5, updatedAt: expect.any(String) },
        { code: 'SILVER', name: 'Silver', feeRatePercent: 3, updatedAt: expect.any(String) },
      ]);
    }
    expect(await codeOf(null, GRADES)).toBe('UNAUTHENTICATED');
    expect(await codeOf(customer(), GRADES)).toBe('FORBIDDEN');
    expect(
      await catalog.sql('SELECT code, fee_rate_bp, version FROM brand_grades WHERE code = ANY($1) ORDER BY code', [
        'BASIC',
        'SILVER',
        'GOLD',
      ]),
    ).toEqual([
      { code: 'BASIC', fee_rate_bp: 350, version: 1 },
      { code: 'GOLD', fee_rate_bp: 250, version: 1 },
      { code: 'SILVER', fee_rate_bp: 300, version: 1 },
    ]);
  });

  it('lets only admins create and change grades; a refused or invalid change writes nothing', async () => {
    const before = await gradeRows();
    const eventsBefore = await gradeEventCount();
    const valid = { code: 'PLATINUM', name: 'Platinum', feeRatePercent: 1.25 };
    for (const [viewer, code] of [
      [null, 'UNAUTHENTICATED'],
      [customer(), 'FORBIDDEN'],
      [seller(), 'FORBIDDEN'],
    ] as const) {
      expect(await codeOf(viewer, CREATE_GRADE, { input: valid })).toBe(code);
      expect(await codeOf(viewer, UPDATE_GRADE, { code: 'BASIC', input: { feeRatePercent: 1 } })).toBe(code);
    }
    for (const input of [
      { ...valid, code: 'platinum' },
      { ...valid, code: 'P' },
      { ...valid, code: '1PLATINUM' },
      { ...valid, code: 'PLATINUM-1' },
      { ...valid, code: 'P'.repeat(21) },
      { ...valid, name: '' },
      { ...valid, name: '   ' },
      { ...valid, name: 'x'.repeat(51) },
      { ...valid, feeRatePercent: 101 },
      { ...valid, feeRatePercent: 100.01 },
      { ...valid, feeRatePercent: -0.5 },
      { ...valid, feeRatePercent: 3.555 },
      { ...valid, feeRatePercent: 0.001 },
    ]) {
      expect(await codeOf(admin, CREATE_GRADE, { input })).toBe('BAD_USER_INPUT');
    }
    const bad = await catalog.client.call(admin, CREATE_GRADE, { input: { ...valid, feeRatePercent: 3.555 } });
    expect(bad.errors?.[0]?.extensions?.problems).toEqual([
      { field: 'input.feeRatePercent', message: 'must have at most 2 decimals' },
    ]);
    for (const input of [{ name: '' }, { feeRatePercent: 101 }, { feeRatePercent: 3.555 }, { feeRatePercent: -1 }]) {
      expect(await codeOf(admin, UPDATE_GRADE, { code: 'BASIC', input })).toBe('BAD_USER_INPUT');
    }
    expect(await codeOf(admin, UPDATE_GRADE, { code: 'NOSUCH', input: { name: 'x' } })).toBe('NOT_FOUND');
    expect(await codeOf(admin, CREATE_GRADE, { input: { ...valid, code: 'GOLD' } })).toBe('CONFLICT');
    expect(await gradeRows()).toEqual(before);
    expect(await gradeEventCount()).toBe(eventsBefore);

    const created = new Date('2026-12-07T01:00:00.000Z');
    clock.set(created);
    expect((await ok<{ createBrandGrade: GradeView }>(admin, CREATE_GRADE, { input: valid })).createBrandGrade).toEqual(
      { ...valid, updatedAt: created.toISOString() },
    );
    expect(await codeOf(admin, CREATE_GRADE, { input: { ...valid, name: 'Again' } })).toBe('CONFLICT');

    const renamed = new Date('2026-12-07T02:00:00.000Z');
    clock.set(renamed);
    const update = async (input: Record<string, unknown>) =>
      (await ok<{ updateBrandGrade: GradeView }>(admin, UPDATE_GRADE, { code: 'PLATINUM', input })).updateBrandGrade;
    expect(await update({ name: 'Platinum+' })).toEqual({
      code: 'PLATINUM',
      name: 'Platinum+',
      feeRatePercent: 1.25,
      updatedAt: renamed.toISOString(),
    });
    // 0.29 * 100 is 28.999999999999996 in binary: still exactly 29 basis points
    expect(await update({ feeRatePercent: 0.29 })).toMatchObject({ name: 'Platinum+', feeRatePercent: 0.29 });
    // nothing to change: no version, no event
    expect(await update({ name: 'Platinum+', feeRatePercent: 0.29 })).toMatchObject({ feeRatePercent: 0.29 });
    expect(await update({})).toMatchObject({ feeRatePercent: 0.29 });
    expect(await update({ feeRatePercent: 100 })).toMatchObject({ feeRatePercent: 100 });
    expect(await update({ feeRatePercent: 0 })).toMatchObject({ feeRatePercent: 0 });
    expect(await catalog.sql('SELECT fee_rate_bp, version FROM brand_grades WHERE code = $1', 'PLATINUM')).toEqual([
      { fee_rate_bp: 0, version: 5 },
    ]);

    const committed = await outbox(CATALOG_GRADE_CHANGED, 'grade', 'PLATINUM');
    expect(committed.map((event) => event.exchange)).toEqual(Array(5).fill('radiata.catalog'));
    expect(committed.map((event) => event.payload)).toEqual([
      { grade: 'PLATINUM', name: 'Platinum', feeRateBasisPoints: 125, version: 1, occurredAt: created.toISOString() },
      { grade: 'PLATINUM', name: 'Platinum+', feeRateBasisPoints: 125, version: 2, occurredAt: renamed.toISOString() },
      { grade: 'PLATINUM', name: 'Platinum+', feeRateBasisPoints: 29, version: 3, occurredAt: renamed.toISOString() },
      { grade: 'PLATINUM', name: 'Platinum+', feeRateBasisPoints: 10_000, version: 4, occurredAt: expect.any(String) },
      { grade: 'PLATINUM', name: 'Platinum+', feeRateBasisPoints: 0, version: 5, occurredAt: expect.any(String) },
    ]);
    // the relay publishes each committed event, with its outbox id as messageId
    await eventually(() => gradeEvents.filter((event) => event.payload.grade === 'PLATINUM').length === 5);
    expect(
      gradeEvents
        .filter((event) => event.payload.grade === 'PLATINUM')
        .map((event) => event.messageId)
        .sort(),
    ).toEqual(committed.map((event) => event.id).sort());

    const { brandGrades } = await ok<{ brandGrades: GradeView[] }>(seller(), GRADES);
    expect(brandGrades.map((grade) => grade.code)).toEqual(['BASIC', 'GOLD', 'PLATINUM', 'SILVER']);
  });
});

describe("a brand's grade", () => {
  it('is BASIC at first, shown to the brand owner and admins; null for anyone else', async () => {
    const owner = seller();
    const brandId = await newBrand(owner);
    const basic = { id: brandId, grade: { code: 'BASIC', name: 'Basic', feeRatePercent: 3.5 } };
    for (const viewer of [owner, admin])
      expect(await ok(viewer, BRAND_GRADE, { id: brandId })).toEqual({ brand: basic });
    for (const viewer of [null, customer(), seller(), { id: owner.id, role: 'CUSTOMER' } as const]) {
      expect(await ok(viewer, BRAND_GRADE, { id: brandId })).toEqual({ brand: { id: brandId, grade: null } });
    }
    // through a reference too (the gateway resolves Product.brand and User.brands this way)
    expect(
      await ok(
        owner,
        'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Brand { grade { code } } } }',
        {
          reps: [{ __typename: 'Brand', id: brandId }],
        },
      ),
    ).toEqual({ _entities: [{ grade: { code: 'BASIC' } }] });
  });

  it('reads the grades of a whole page of brands in one query', async () => {
    const owner = seller();
    const ids = [await newBrand(owner), await newBrand(owner), await newBrand(owner)];
    await catalog.services.brands.setGrade(admin, ids[1] ?? '', 'GOLD');
    recording = [];
    const result = await ok<{ brands: { edges: { node: { id: string; grade: { code: string } } }[] } }>(
      admin,
      '{ brands(first: 3) { edges { node { id grade { code } } } } }',
    );
    const gradeQueries = recording.filter((sql) => sql.includes('"brand_grades"'));
    recording = undefined;
    expect(gradeQueries).toHaveLength(1);
    expect(result.brands.edges.map((edge) => edge.node)).toEqual([
      { id: ids[2], grade: { code: 'BASIC' } },
      { id: ids[1], grade: { code: 'GOLD' } },
      { id: ids[0], grade: { code: 'BASIC' } },
    ]);
  });

  it('is set by admins only; an unknown brand or grade is NOT_FOUND; the same grade again changes nothing', async () => {
    const owner = seller();
    const brandId = await newBrand(owner);
    for (const [viewer, code] of [
      [null, 'UNAUTHENTICATED'],
      [customer(), 'FORBIDDEN'],
      [owner, 'FORBIDDEN'],
    ] as const) {
      expect(await codeOf(viewer, SET_GRADE, { brandId, grade: 'GOLD' })).toBe(code);
    }
    expect(await codeOf(admin, SET_GRADE, { brandId: newId(), grade: 'GOLD' })).toBe('NOT_FOUND');
    expect(await codeOf(admin, SET_GRADE, { brandId: 'nope', grade: 'GOLD' })).toBe('NOT_FOUND');
    expect(await codeOf(admin, SET_GRADE, { brandId, grade: 'DIAMOND' })).toBe('NOT_FOUND');
    expect(await codeOf(admin, SET_GRADE, { brandId, grade: 'gold' })).toBe('NOT_FOUND');
    expect(await brandRow(brandId)).toEqual({ grade: 'BASIC', version: 1 });

    expect(await ok(admin, SET_GRADE, { brandId, grade: 'GOLD' })).toEqual({
      setBrandGrade: { id: brandId, grade: { code: 'GOLD', name: 'Gold', feeRatePercent: 2.5 } },
    });
    expect(await ok(admin, SET_GRADE, { brandId, grade: 'GOLD' })).toEqual({
      setBrandGrade: { id: brandId, grade: { code: 'GOLD', name: 'Gold', feeRatePercent: 2.5 } },
    });
    expect(await brandRow(brandId)).toEqual({ grade: 'GOLD', version: 2 });
    expect((await outbox(CATALOG_BRAND_CHANGED, 'brandId', brandId)).map((event) => event.payload.grade)).toEqual([
      'BASIC',
      'GOLD',
    ]);
    expect(await ok(owner, BRAND_GRADE, { id: brandId })).toEqual({
      brand: { id: brandId, grade: { code: 'GOLD', name: 'Gold', feeRatePercent: 2.5 } },
    });

    await ok(admin, 'mutation($id: ID!) { deleteBrand(id: $id) }', { id: brandId });
    expect(await codeOf(admin, SET_GRADE, { brandId, grade: 'SILVER' })).toBe('NOT_FOUND');
    expect(await brandRow(brandId)).toEqual({ grade: 'GOLD', version: 3 });
  });
});

describe('brand events', () => {
  it('records the whole brand with every change, version by version, and only for committed changes', async () => {
    const owner = seller();
    const times = ['2026-12-07T03:00:00.000Z', '2026-12-07T03:01:00.000Z', '2026-12-07T03:02:00.000Z'];
    clock.set(new Date(times[0] ?? ''));
    const name = unique('Atelier');
    const brandId = await newBrand(owner).then(async (id) => {
      await ok(owner, 'mutation($id: ID!, $name: String) { updateBrand(id: $id, input: { name: $name }) { id } }', {
        id,
        name,
      });
      return id;
    });
    // the same name again, and a name another brand has (CONFLICT): no change, no event
    await ok(owner, 'mutation($id: ID!, $name: String) { updateBrand(id: $id, input: { name: $name }) { id } }', {
      id: brandId,
      name,
    });
    const taken = unique('Taken');
    await newBrand(seller()).then((id) =>
      ok(admin, 'mutation($id: ID!, $name: String) { updateBrand(id: $id, input: { name: $name }) { id } }', {
        id,
        name: taken,
      }),
    );
    expect(
      await codeOf(owner, 'mutation($id: ID!, $name: String) { updateBrand(id: $id, input: { name: $name }) { id } }', {
        id: brandId,
        name: taken,
      }),
    ).toBe('CONFLICT');
    clock.set(new Date(times[1] ?? ''));
    await catalog.services.brands.setGrade(admin, brandId, 'SILVER');
    clock.set(new Date(times[2] ?? ''));
    await catalog.services.brands.delete(owner, brandId);

    const base = { brandId, ownerId: owner.id };
    const committed = await outbox(CATALOG_BRAND_CHANGED, 'brandId', brandId);
    expect(committed.map((event) => event.payload)).toEqual([
      { ...base, name: expect.any(String), grade: 'BASIC', deleted: false, version: 1, occurredAt: times[0] },
      { ...base, name, grade: 'BASIC', deleted: false, version: 2, occurredAt: times[0] },
      { ...base, name, grade: 'SILVER', deleted: false, version: 3, occurredAt: times[1] },
      { ...base, name, grade: 'SILVER', deleted: true, version: 4, occurredAt: times[2] },
    ]);
    expect(await brandRow(brandId)).toEqual({ grade: 'SILVER', version: 4 });
    await eventually(() => brandEvents.filter((event) => event.payload.brandId === brandId).length === 4);
    expect(
      brandEvents
        .filter((event) => event.payload.brandId === brandId)
        .map((event) => event.messageId)
        .sort(),
    ).toEqual(committed.map((event) => event.id).sort());
  });

  it('records nothing for a refused delete (a brand with live products)', async () => {
    const product = await newProduct(catalog.services, 1);
    const { ownerId } = await catalog.services.db.brand.findUniqueOrThrow({ where: { id: product.brandId } });
    await expect(
      catalog.services.brands.delete({ id: ownerId, role: 'SELLER' }, product.brandId),
    ).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect((await outbox(CATALOG_BRAND_CHANGED, 'brandId', product.brandId)).map((event) => event.payload)).toEqual([
      expect.objectContaining({ deleted: false, version: 1 }),
    ]);
    expect(await brandRow(product.brandId)).toEqual({ grade: 'BASIC', version: 1 });
  });
});

it('republishes every grade and every brand, deleted ones included, with the products', async () => {
  const { db } = catalog.services;
  const owner = seller();
  const graded = await newBrand(owner);
  await catalog.services.brands.setGrade(admin, graded, 'GOLD');
  const gone = await newBrand(owner);
  await catalog.services.brands.delete(owner, gone);
  await catalog.services.brandGrades.update(admin, 'SILVER', { name: 'Silver II' });
  const before = await catalog.sql<{ id: string }>('SELECT id::text FROM outbox_messages');

  const at = new Date('2026-12-08T00:00:00.000Z');
  clock.set(at);
  const counts = await republishCatalog(db, recordEvents, clock);
  expect(counts).toEqual({
    grades: await db.brandGrade.count(),
    brands: await db.brand.count(),
    products: await db.product.count({ where: { deletedAt: null } }),
  });
  expect(counts.brands).toBeGreaterThan(await db.brand.count({ where: { deletedAt: null } }));

  const snapshots = await catalog.sql<{ routing_key: string; payload: Record<string, unknown> }>(
    'SELECT routing_key, payload FROM outbox_messages WHERE NOT (id = ANY($1::uuid[]))',
    before.map((row) => row.id),
  );
  const of = (routingKey: string) => snapshots.filter((row) => row.routing_key === routingKey);
  expect(of(CATALOG_GRADE_CHANGED)).toHaveLength(counts.grades);
  expect(of(CATALOG_BRAND_CHANGED)).toHaveLength(counts.brands);
  expect(of('catalog.product.created')).toHaveLength(counts.products);
  expect(of(CATALOG_GRADE_CHANGED).find((row) => row.payload.grade === 'SILVER')?.payload).toEqual({
    grade: 'SILVER',
    name: 'Silver II',
    feeRateBasisPoints: 300,
    version: 2,
    occurredAt: at.toISOString(),
  });
  const brandSnapshot = (id: string) => of(CATALOG_BRAND_CHANGED).find((row) => row.payload.brandId === id)?.payload;
  expect(brandSnapshot(graded)).toMatchObject({ ownerId: owner.id, grade: 'GOLD', deleted: false, version: 2 });
  expect(brandSnapshot(gone)).toMatchObject({ ownerId: owner.id, grade: 'BASIC', deleted: true, version: 2 });
  expect(brandSnapshot(gone)?.occurredAt).toBe(at.toISOString());

  await eventually(
    () =>
      brandEvents.filter((event) => event.payload.brandId === gone && event.payload.occurredAt === at.toISOString())
        .length === 1 &&
      gradeEvents.filter((event) => event.payload.grade === 'SILVER' && event.payload.occurredAt === at.toISOString())
        .length === 1,
  );
});
