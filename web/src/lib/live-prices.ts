// The live lowest price of the products on screen: lowestPriceChanged sends each one's current
// price at once, then every change (a catalog price change, a sale starting, ending or selling out).
import { useSubscription } from 'urql';
import { graphql } from '../generated/graphql';
import type { LivePriceFieldsFragment } from '../generated/graphql/graphql';

/** What the shop shows of a lowest price; lists and product pages select the same (live events replace it). */
export const LivePriceFields = graphql(`
  fragment LivePriceFields on LowestPrice {
    amount
    regularPrice
    discountRate
    source
    validUntil
    timeSale {
      id
      title
    }
  }
`);

const LowestPricesSubscription = graphql(`
  subscription LowestPrices($ids: [ID!]!) {
    lowestPriceChanged(productIds: $ids) {
      productId
      lowestPrice {
        ...LivePriceFields
      }
      product {
        id
        status
        stockQuantity
      }
    }
  }
`);

export interface LiveProductState {
  readonly lowestPrice: LivePriceFieldsFragment | null;
  readonly status?: 'ON_SALE' | 'SOLD_OUT' | 'HIDDEN' | undefined;
  readonly stockQuantity?: number | undefined;
}

export type LivePrices = ReadonlyMap<string, LiveProductState>;

/** productId → its latest live state (empty until the first events; up to 100 ids). */
export function useLivePrices(productIds: readonly string[]): LivePrices {
  const ids = productIds.slice(0, 100);
  const [{ data }] = useSubscription(
    { query: LowestPricesSubscription, variables: { ids }, pause: ids.length === 0 },
    (previous: LivePrices | undefined, event) => {
      const next = new Map(previous);
      const change = event.lowestPriceChanged;
      next.set(change.productId, {
        lowestPrice: change.lowestPrice ?? null,
        status: change.product?.status,
        stockQuantity: change.product?.stockQuantity,
      });
      return next;
    },
  );
  return data ?? new Map();
}
