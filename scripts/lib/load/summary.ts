// The figures of a run, per scenario, from artillery's reports: what docs/LOAD.md records and the
// one-line verdict ends with.
import type { ArtilleryReport } from './artillery.js';
import type { ScenarioName } from './plan.js';

type Summaries = ArtilleryReport['aggregate']['summaries'];

const ms = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value)} ms`);
const endpoint = (summaries: Summaries, name: string) => summaries[`plugins.metrics-by-endpoint.response_time.${name}`];

/** Counters whose name starts with `prefix`, as `NAME count` pairs. */
function countersUnder(counters: Record<string, number>, prefix: string): string {
  const parts = Object.entries(counters)
    .filter(([name]) => name.startsWith(prefix))
    .map(([name, count]) => `${name.slice(prefix.length)} ${count}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export function figuresOf(scenario: ScenarioName, report: ArtilleryReport | undefined): string[] {
  if (!report) return ['no report (artillery did not finish)'];
  const { counters, summaries } = report.aggregate;
  const http = summaries['http.response_time'];
  const seconds =
    report.aggregate.firstMetricAt && report.aggregate.lastMetricAt
      ? (report.aggregate.lastMetricAt - report.aggregate.firstMetricAt) / 1000
      : undefined;
  const requests = counters['http.requests'] ?? 0;
  const common = [
    `HTTP: ${requests} requests${seconds ? ` in ${seconds.toFixed(0)} s` : ''}, p50 ${ms(http?.p50)}, p95 ${ms(http?.p95)}, p99 ${ms(http?.p99)}; GraphQL errors ${counters['graphql.errors'] ?? 0}`,
  ];
  switch (scenario) {
    case 'browse': {
      const pages = ['home', 'productList', 'productPage', 'sales']
        .map((name) => `${name} p99 ${ms(endpoint(summaries, name)?.p99)}`)
        .join(', ');
      return [
        ...common,
        `sessions ${counters['vusers.completed'] ?? 0} completed, ${counters['vusers.failed'] ?? 0} failed; ${pages}`,
      ];
    }
    case 'rush': {
      const claim = summaries['graphql.response_time.claimCoupon'];
      const issued = summaries['rush.accepted_to_issued'];
      return [
        `claims: ${countersUnder(counters, 'rush.claims.')} (retried: ${countersUnder(counters, 'rush.retries.')}); claimCoupon p50 ${ms(claim?.p50)}, p99 ${ms(claim?.p99)}, GraphQL errors ${counters['graphql.errors'] ?? 0}`,
        `accepted → ISSUED (live claim result): p50 ${ms(issued?.p50)}, p99 ${ms(issued?.p99)}, max ${ms(issued?.max)}; never seen ${counters['rush.claim_result.failures'] ?? 0}`,
      ];
    }
    case 'checkout': {
      const paid = summaries['checkout.placed_to_paid'];
      return [
        ...common,
        `orders: ${countersUnder(counters, 'checkout.orders.')}; payments: ${countersUnder(counters, 'checkout.payments.')}`,
        `placed → PAID: p50 ${ms(paid?.p50)}, p99 ${ms(paid?.p99)}, max ${ms(paid?.max)}`,
      ];
    }
    case 'live': {
      const countdown = summaries['live.countdown.delay'];
      const price = summaries['live.price.delay'];
      return [
        `watchers ${counters['vusers.completed'] ?? 0} completed, ${counters['vusers.failed'] ?? 0} failed; errors ${counters['live.errors'] ?? 0} (${countersUnder(counters, 'live.errors.')})`,
        `countdown events ${counters['live.countdown.events'] ?? 0}, delay from its instant p50 ${ms(countdown?.p50)}, p99 ${ms(countdown?.p99)}`,
        `price events ${counters['live.price.events'] ?? 0}; a change to its event p50 ${ms(price?.p50)}, p99 ${ms(price?.p99)} (${price?.count ?? 0} changes)`,
      ];
    }
  }
}
