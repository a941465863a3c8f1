import { graphql, seededRandom } from '@radiata/testing';
import { buildSchema, type FormattedExecutionResult, type GraphQLField } from 'graphql';
import { readSupergraph } from '../src/supergraph.js';
import { type SignedIn, signUp } from './support/accounts.js';
import { createBrand, createCategory, createProduct, unique } from './support/catalog.js';
import { Dice, operationFor, ValueGenerator } from './support/fuzz.js';
import { startTestGraph, type TestGraph } from './support/graph.js';
import { gatewayClient } from './support/subscriptions.js';

/**
 * Black-box fuzzing of the whole graph: every Query and Mutation root field of the schema the
 * gateway serves, with malformed and abusive arguments (see support/fuzz.ts), as anonymous,
 * CUSTOMER, SELLER and ADMIN callers. No answer may be a 5xx, an INTERNAL_SERVER_ERROR, or leak
 * an internal detail. FUZZ_SEED replays a run; FUZZ_CASES sizes it (default: CI-sized).
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.FUZZ_CASES ?? 480);
/** Subscriptions fuzzed over the gateway's WebSocket (default: CI-sized). */
const WS_CASES = Number(process.env.FUZZ_WS_CASES ?? 120);
/**
 * How long a fuzzed subscription is watched for its first message. A well-formed one may rightly
 * stay silent (a claim nobody made): then it is only unsubscribed; a longer wait checks no more.
 */
const FIRST_MESSAGE_WAIT_MS = 1_000;
/** The gateway's default SUBSCRIPTION_MAX_PAYLOAD_BYTES. */
const MAX_WS_PAYLOAD_BYTES = 64 * 1024;
const CONCURRENCY = 8;
const ANSWER_TIMEOUT_MS = 60_000;

/** Words of internals a client must never read (the fuzzed values contain none of them). */
const LEAKS = [
  /prisma|postgres|ioredis|node_modules|stacktrace/i,
  /\bSQL\b|\bECONN[A-Z]+|\bP[12]\d{3}\b|\n\s+at |\bat \w+ \(|\.ts:\d+/,
];

interface Failure {
  readonly case: number;
  readonly caller: string;
  readonly query: string;
  readonly variables: string;
  readonly status: number;
  readonly body: string;
}

let graph: TestGraph;
const callers: { name: string; account: SignedIn | null }[] = [];
const knownIds: string[] = [];

beforeAll(async () => {
  graph = await startTestGraph({ REQUEST_RATE_LIMIT: '1000000' });
  const [customer, seller, admin, bystander] = await Promise.all([
    signUp(graph, 'CUSTOMER'),
    signUp(graph, 'SELLER'),
    signUp(graph, 'ADMIN'),
    signUp(graph, 'CUSTOMER'),
  ]);
  callers.push(
    { name: 'anonymous', account: null },
    { name: 'CUSTOMER', account: customer },
    { name: 'SELLER', account: seller },
    { name: 'ADMIN', account: admin },
  );
  const categoryId = await createCategory(graph, admin, unique('Fuzz'));
  const brandId = await createBrand(graph, seller);
  const product = await createProduct(graph, seller, brandId, categoryId);
  const coupon = await graphql<{ createCoupon: { id: string } }>(
    graph.gateway.url,
    'mutation($input: CreateCouponInput!) { createCoupon(input: $input) { id } }',
    {
      token: admin.accessToken,
      variables: {
        input: {
          title: 'Fuzz',
          type: 'FIRST_COME_FIRST_SERVED',
          discountType: 'AMOUNT',
          discountAmount: 1_000,
          issueStartAt: new Date(Date.now() - 3_600_000).toISOString(),
          issueEndAt: new Date(Date.now() + 3_600_000).toISOString(),
          validDays: 30,
          totalQuantity: 100,
        },
      },
    },
  );
  // Not the callers' own ids: a fuzzed setUserRole must not demote the ADMIN caller mid-run.
  knownIds.push(categoryId, brandId, product.id, bystander.id, coupon.data?.createCoupon.id as string);
}, 120_000);
afterAll(() => graph?.stop());

/** The root fields of the committed supergraph (what the gateway serves: nothing in it is @inaccessible). */
function rootFields(): { kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }[] {
  const schema = buildSchema(readSupergraph(), { assumeValidSDL: true });
  return [
    ...Object.values(schema.getQueryType()?.getFields() ?? {}).map((field) => ({ kind: 'query' as const, field })),
    ...Object.values(schema.getMutationType()?.getFields() ?? {}).map((field) => ({
      kind: 'mutation' as const,
      field,
    })),
  ];
}

function problemsOf(status: number, body: string): string | undefined {
  if (status >= 500) return `HTTP ${status}`;
  const leak = LEAKS.map((pattern) => pattern.exec(body)?.[0]).find(Boolean);
  if (leak) return `leaks ${leak}`;
  let parsed: { errors?: { extensions?: { code?: unknown } }[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return 'not JSON';
  }
  const codes = (parsed.errors ?? []).map((error) => error.extensions?.code);
  if (codes.includes('INTERNAL_SERVER_ERROR')) return 'INTERNAL_SERVER_ERROR';
  if (codes.some((code) => typeof code !== 'string')) return 'an error without a code';
  return undefined;
}

it(`answers ${CASES} fuzzed operations without a 5xx, an internal error or a leak`, async () => {
  console.info(`fuzz: FUZZ_SEED=${SEED} FUZZ_CASES=${CASES}`);
  const dice = new Dice(seededRandom(SEED));
  const generator = new ValueGenerator(dice, { ids: knownIds });
  const fields = rootFields();
  expect(fields.length).toBeGreaterThan(20);

  // Every root field with every caller, round-robin, then again with new values.
  const cases = Array.from({ length: CASES }, (_, index) => {
    const { kind, field } = fields[index % fields.length] as (typeof fields)[number];
    const caller = callers[Math.floor(index / fields.length) % callers.length] as (typeof callers)[number];
    return { index, caller, ...operationFor(kind, field, generator, dice) };
  });

  const failures: Failure[] = [];
  const codes = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const fuzzCase = cases[next++] as (typeof cases)[number];
      const response = await fetch(graph.gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(fuzzCase.caller.account ? { authorization: `Bearer ${fuzzCase.caller.account.accessToken}` } : {}),
        },
        body: JSON.stringify({ query: fuzzCase.query, variables: fuzzCase.variables }),
        // Far beyond any answer: a request still unanswered then is a hang, reported with its input.
        signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      }).catch((error: unknown) => error as Error);
      if (response instanceof Error) {
        failures.push({
          case: fuzzCase.index,
          caller: `${fuzzCase.caller.name}: no answer (${response.name})`,
          query: fuzzCase.query.slice(0, 400),
          variables: JSON.stringify(fuzzCase.variables).slice(0, 400),
          status: 0,
          body: '',
        });
        continue;
      }
      const body = await response.text();
      for (const code of body.match(/"code":"[A-Z_]+"/g) ?? ['OK']) codes.set(code, (codes.get(code) ?? 0) + 1);
      const problem = problemsOf(response.status, body);
      if (problem) {
        failures.push({
          case: fuzzCase.index,
          caller: `${fuzzCase.caller.name}: ${problem}`,
          query: fuzzCase.query.slice(0, 400),
          variables: JSON.stringify(fuzzCase.variables).slice(0, 400),
          status: response.status,
          body: body.slice(0, 400),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  console.info(`fuzz answers by code: ${JSON.stringify(Object.fromEntries(codes))}`);
  if (failures.length > 0)
    console.error(`fuzz failures (FUZZ_SEED=${SEED}):\n${JSON.stringify(failures.slice(0, 20), null, 2)}`);
  expect(failures.slice(0, 10)).toEqual([]);
}, 600_000);

it(`answers ${WS_CASES} fuzzed subscriptions over WebSocket without an internal error, a leak or a dropped connection`, async () => {
  const dice = new Dice(seededRandom(SEED + 1));
  const generator = new ValueGenerator(dice, { ids: knownIds });
  const schema = buildSchema(readSupergraph(), { assumeValidSDL: true });
  const fields = Object.values(schema.getSubscriptionType()?.getFields() ?? {});
  expect(fields.length).toBeGreaterThanOrEqual(3);
  const failures: Failure[] = [];
  const perCaller = Math.ceil(WS_CASES / callers.length);

  // One connection per caller, as a web app holds; its cases one after another.
  await Promise.all(
    callers.map(async (caller, callerIndex) => {
      const client = gatewayClient(graph.gateway.url, caller.account?.accessToken);
      try {
        for (let n = 0; n < perCaller; n += 1) {
          const index = callerIndex * perCaller + n;
          const field = fields[index % fields.length] as (typeof fields)[number];
          const operation = operationFor('subscription', field, generator, dice);
          const outcome = await new Promise<{ messages: unknown[]; closed?: number }>((resolve) => {
            const messages: unknown[] = [];
            let settled = false;
            let unsubscribe = () => {};
            const settle = (closed?: number) => {
              if (settled) return;
              settled = true;
              clearTimeout(timer);
              unsubscribe();
              resolve({ messages, ...(closed === undefined ? {} : { closed }) });
            };
            const timer = setTimeout(() => settle(), FIRST_MESSAGE_WAIT_MS);
            unsubscribe = client.subscribe(operation, {
              next: (result: FormattedExecutionResult) => {
                messages.push(result);
                settle();
              },
              error: (error: unknown) => {
                if (Array.isArray(error)) {
                  messages.push({ errors: error });
                  settle();
                } else settle((error as { code?: number })?.code ?? -1);
              },
              complete: () => settle(),
            });
          });
          const body = JSON.stringify(outcome.messages);
          // A message over the gateway's limit (SUBSCRIPTION_MAX_PAYLOAD_BYTES, 64 KiB) is refused
          // by closing the connection with 1009 (message too big), as WebSocket says.
          const tooBig = Buffer.byteLength(JSON.stringify(operation)) > MAX_WS_PAYLOAD_BYTES - 64;
          const problem =
            outcome.closed !== undefined && !(outcome.closed === 1009 && tooBig)
              ? `connection closed ${outcome.closed}`
              : outcome.messages.map((message) => problemsOf(200, JSON.stringify(message))).find(Boolean);
          if (problem) {
            failures.push({
              case: index,
              caller: `${caller.name}: ${problem}`,
              query: operation.query.slice(0, 400),
              variables: JSON.stringify(operation.variables).slice(0, 400),
              status: 0,
              body: body.slice(0, 400),
            });
          }
        }
      } finally {
        await client.dispose();
      }
    }),
  );
  if (failures.length > 0)
    console.error(
      `fuzz failures over WebSocket (FUZZ_SEED=${SEED}):\n${JSON.stringify(failures.slice(0, 20), null, 2)}`,
    );
  expect(failures.slice(0, 10)).toEqual([]);
}, 600_000);
