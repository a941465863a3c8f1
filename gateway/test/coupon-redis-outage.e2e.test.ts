import { closeRedis, createRedis, type Redis } from '@radiata/redis';
import { eventually, type GraphQLResponse, graphql, startTcpProxy, type TcpProxy, testLogger } from '@radiata/testing';
import { type SignedIn, signUp } from './support/accounts.js';
import { createOpenCoupon } from './support/coupons.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

const REDIS_URL = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const CLAIM = 'mutation($id: ID!) { claimCoupon(couponId: $id) { outcome claimId } }';
const OUTCOMES = ['ACCEPTED', 'SOLD_OUT', 'ALREADY_CLAIMED', 'NOT_OPEN_YET', 'CLOSED', 'NOT_FOUND', 'RATE_LIMITED'];

type ClaimAnswer = GraphQLResponse<{ claimCoupon: { outcome: string; claimId: string | null } }>;

let proxy: TcpProxy;
let graph: TestGraph;
let observer: Redis;
let admin: SignedIn;
beforeAll(async () => {
  // The coupons subgraph reaches Redis through a proxy, so a test can also take Redis away.
  proxy = await startTcpProxy({ host: REDIS_URL.hostname, port: Number(REDIS_URL.port || 6379) });
  graph = await startTestGraph({}, { coupons: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
  observer = createRedis({ url: REDIS_URL.href, name: 'coupon-outage-observer', logger: testLogger('observer') });
  admin = await signUp(graph, 'ADMIN');
});
afterAll(async () => {
  await proxy.start().catch(() => {}); // already forwarding unless a test failed mid-outage
  await graph.stop();
  await closeRedis(observer);
  await proxy.stop();
});

const createCoupon = () => createOpenCoupon(graph, admin, { title: 'Outage', minOrderAmount: null });

const claim = (shopper: SignedIn, couponId: string): Promise<ClaimAnswer> =>
  graphql(graph.gateway.url, CLAIM, { token: shopper.accessToken, variables: { id: couponId } });

/** A claim result, or the retryable SERVICE_UNAVAILABLE: never an internal error. */
function expectClaimOrRetryable(answer: ClaimAnswer): void {
  expect(answer.status).toBeLessThan(500);
  if (answer.data?.claimCoupon) {
    expect(OUTCOMES).toContain(answer.data.claimCoupon.outcome);
    return;
  }
  expect(answer.errors).toEqual([
    {
      message: expect.any(String),
      path: ['claimCoupon'],
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: expect.any(Number) },
    },
  ]);
}

const accepted = async (couponId: string) =>
  (await claim(await signUp(graph), couponId)).data?.claimCoupon.outcome === 'ACCEPTED';

it('answers a claim result or SERVICE_UNAVAILABLE when its Redis connection is killed mid-claim, then claims again', async () => {
  const couponId = await createCoupon();
  const shoppers = await Promise.all(Array.from({ length: 30 }, () => signUp(graph)));
  const answers: ClaimAnswer[] = [];
  for (let round = 0; round < 3; round += 1) {
    await eventually(async () => graph.coupons.subgraph.redis.status === 'ready');
    const connectionId = String(await graph.coupons.subgraph.redis.client('ID'));
    const batch = shoppers.slice(round * 10, round * 10 + 10);
    const [killed, ...claims] = await Promise.all([
      observer.client('KILL', 'ID', connectionId),
      ...batch.map((shopper) => claim(shopper, couponId)),
    ]);
    expect(killed).toBe(1);
    answers.push(...claims);
  }
  for (const answer of answers) expectClaimOrRetryable(answer);
  console.info(
    `claims around CLIENT KILL: ${JSON.stringify(answers.map((a) => a.data?.claimCoupon.outcome ?? a.errors?.[0]?.extensions?.code))}`,
  );

  // The client reconnects on its own, and new claims succeed again.
  await eventually(() => accepted(couponId));
});

it('answers SERVICE_UNAVAILABLE while Redis is unreachable, and claims again once it is back', async () => {
  const couponId = await createCoupon();
  const shoppers = await Promise.all(Array.from({ length: 5 }, () => signUp(graph)));

  await proxy.stop();
  await eventually(() => graph.coupons.subgraph.redis.status !== 'ready');
  const answers = await Promise.all(shoppers.map((shopper) => claim(shopper, couponId)));
  for (const answer of answers) {
    expectClaimOrRetryable(answer);
    expect(answer.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
  }

  await proxy.start();
  await eventually(() => accepted(couponId));
  // Those told to retry can: nothing was claimed for them.
  const retried = await Promise.all(shoppers.map((shopper) => claim(shopper, couponId)));
  expect(retried.map((answer) => answer.data?.claimCoupon.outcome)).toEqual(shoppers.map(() => 'ACCEPTED'));
});
