import type { PriceSource } from '../generated/graphql/graphql';
import { formatWon } from '../lib/format';

export interface PriceShown {
  readonly amount: number;
  readonly regularPrice: number;
  readonly discountRate?: number | null | undefined;
  readonly source: PriceSource;
}

const sourceLabel: Record<PriceSource, string> = {
  REGULAR: '',
  PRODUCT_DISCOUNT: 'Discount',
  TIME_SALE: 'Time sale',
};

/** The lowest price, the regular one struck through when lower, and where the discount comes from. */
export function Price({ price, large = false }: { readonly price: PriceShown; readonly large?: boolean }) {
  const discounted = price.amount < price.regularPrice;
  return (
    <p className={`price${large ? ' price-large' : ''}`}>
      <span className="price-amount">
        <span className="visually-hidden">{discounted ? 'Now ' : 'Price '}</span>
        {formatWon(price.amount)}
      </span>{' '}
      {discounted && (
        <>
          <s className="price-regular">
            <span className="visually-hidden">instead of </span>
            {formatWon(price.regularPrice)}
          </s>{' '}
          <span className={`badge badge-${price.source === 'TIME_SALE' ? 'sale' : 'discount'}`}>
            {sourceLabel[price.source]}
            {price.discountRate ? ` −${price.discountRate}%` : ''}
          </span>
        </>
      )}
    </p>
  );
}
