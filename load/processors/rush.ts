// The rush: every shopper (signed up by the set-up, one per virtual user) waits for the coupon's
// opening instant and claims it within that second, again while the answer is NOT_OPEN_YET or
// RATE_LIMITED; an ACCEPTED claimer then follows its claim result live until the coupon is ISSUED
// (persisted), as the storefront does. Claims go through sendGraphql rather than the HTTP engine:
// a thousand in one second would otherwise queue in the load generator itself (it spends about
// 3 ms of CPU per request of its HTTP engine, 1 ms here), and the rush would measure artillery.
import type { Metrics, VirtualUser } from './artillery.js';
import { fixture } from './fixture.js';
import { sendGraphql, sleep, within } from './graphql.js';
import { errorKind, liveClient, subscribe } from './subscriptions.js';

/** Shoppers press the button somewhere within the opening second. */
const OPENING_SPREAD_MS = 1000;
/** Tries per shopper while the answer is NOT_OPEN_YET or RATE_LIMITED. */
const MAX_ATTEMPTS = 20;
/** Longest wait for an accepted claim to be ISSUED. */
const ISSUE_TIMEOUT_MS = 60_000;

export const CLAIM =
  'mutation Claim($couponId: ID!) { claimCoupon(couponId: $couponId) { outcome claimId retryAfterMs } }';
export const CLAIM_RESULT = `subscription ClaimResult($claimId: ID!) {
  couponClaimResult(claimId: $claimId) { status issue { id coupon { id } } }
}`;

interface ClaimAnswer {
  readonly outcome: string;
  readonly claimId: string | null;
  readonly retryAfterMs: number | null;
}

/**
 * Waits for the opening second, claims, and counts `rush.claims.<outcome>` (the final answer;
 * `rush.retries.<outcome>` for the answers that asked to wait).
 */
export async function claimInOpeningSecond(user: VirtualUser, metrics: Metrics): Promise<void> {
  const { rush, t0 } = fixture();
  metrics.emit('counter', 'rush.claim_result.failures', 0);
  await sleep(Date.parse(t0) + Math.random() * OPENING_SPREAD_MS - Date.now());
  for (let attempt = 1; ; attempt++) {
    const claim = await sendGraphql<ClaimAnswer>(user, metrics, 'claimCoupon', CLAIM, { couponId: rush.couponId });
    const outcome = claim?.outcome ?? 'ERROR';
    const wait = outcome === 'RATE_LIMITED' ? (claim?.retryAfterMs ?? 1000) : outcome === 'NOT_OPEN_YET' ? 100 : 0;
    if (wait > 0 && attempt < MAX_ATTEMPTS) {
      metrics.emit('counter', `rush.retries.${outcome}`, 1);
      await sleep(wait);
      continue;
    }
    metrics.emit('counter', `rush.claims.${outcome}`, 1);
    if (outcome === 'ACCEPTED') {
      user.vars.claimId = claim?.claimId;
      user.vars.acceptedAt = Date.now();
      metrics.emit('histogram', 'rush.opening_to_accepted', Date.now() - Date.parse(t0));
    }
    return;
  }
}

/**
 * An ACCEPTED claimer follows couponClaimResult until ISSUED: `rush.accepted_to_issued` (ms);
 * `rush.claim_result.failures` counts those that never saw it.
 */
export async function followClaimResult(user: VirtualUser, metrics: Metrics): Promise<void> {
  if (!user.vars.claimId) return;
  const client = liveClient({ clientIp: String(user.vars.clientIp), accessToken: String(user.vars.accessToken) });
  let issued = false;
  const subscription = subscribe(client, CLAIM_RESULT, { claimId: user.vars.claimId }, (answer) => {
    const update = answer.data?.couponClaimResult as { status?: string } | undefined;
    if (update?.status === 'ISSUED' && !issued) {
      issued = true;
      metrics.emit('histogram', 'rush.accepted_to_issued', Date.now() - Number(user.vars.acceptedAt));
    }
  });
  try {
    const ended = await within(subscription.finished, ISSUE_TIMEOUT_MS);
    if (!issued) claimResultFailed(metrics, ended === 'timeout' ? 'timeout' : 'not_issued');
  } catch (error) {
    claimResultFailed(metrics, `error_${errorKind(error)}`);
  } finally {
    subscription.stop();
    await client.dispose();
  }
}

function claimResultFailed(metrics: Metrics, kind: string): void {
  metrics.emit('counter', 'rush.claim_result.failures', 1);
  metrics.emit('counter', `rush.claim_result.${kind}`, 1);
}
