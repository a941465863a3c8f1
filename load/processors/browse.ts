// Browsing: anonymous shoppers (each from its own address) open the home page, list products
// with filters and sorts (lowest price and brand on every card), open product pages and the
// sales. The filters and products come from the catalog the set-up read.
import type { Metrics, VirtualUser } from './artillery.js';
import { fixture } from './fixture.js';
import { countGraphqlErrors, setClientHeaders } from './graphql.js';

export { countGraphqlErrors, setClientHeaders };

const SORTS = ['NEWEST', 'PRICE_ASC', 'PRICE_DESC'] as const;
const GENDERS = ['MAN', 'WOMAN'] as const;
const COLORS = ['RED', 'ORANGE', 'YELLOW', 'GREEN', 'BLUE', 'NAVY', 'PURPLE'] as const;

const pick = <T>(values: readonly T[]): T => values[Math.floor(Math.random() * values.length)] as T;

/** A listing a shopper might ask for: one or two filters (or none) and a sort. */
function listing(): { filter: Record<string, unknown>; sort: string } {
  const { browse } = fixture();
  const filters: (() => Record<string, unknown>)[] = [
    () => ({}),
    () => ({ categoryId: pick(browse.categoryIds) }),
    () => ({ brandId: pick(browse.brandIds) }),
    () => ({ gender: pick(GENDERS), color: pick(COLORS) }),
    () => ({ minPrice: 10_000 * (1 + Math.floor(Math.random() * 5)), maxPrice: 150_000 }),
    () => ({ categoryId: pick(browse.categoryIds), gender: pick(GENDERS) }),
  ];
  return { filter: pick(filters)(), sort: pick(SORTS) };
}

/** beforeScenario: what this shopper will look at. */
export function chooseShopping(user: VirtualUser, _metrics: Metrics, done: () => void): void {
  const { browse } = fixture();
  const { filter, sort } = listing();
  Object.assign(user.vars, {
    filter,
    sort,
    productA: pick(browse.productIds),
    productB: pick(browse.productIds),
  });
  done();
}

/** After a listing page: the cursor of the next page (the shopper scrolls on). */
export function nextPage(user: VirtualUser, _metrics: Metrics, done: () => void): void {
  const products = (user.vars.answer as { products?: { pageInfo: { endCursor: string | null } } } | null)?.products;
  user.vars.after = products?.pageInfo.endCursor ?? null;
  done();
}
