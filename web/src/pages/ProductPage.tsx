import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { Price } from '../components/Price';
import { ErrorNotice, LiveMessage, Loading } from '../components/ui';
import { graphql } from '../generated/graphql';
import { cart } from '../lib/cart';
import { explain } from '../lib/errors';
import { formatDateTime, formatWon, humanize } from '../lib/format';
import { useLivePrices } from '../lib/live-prices';

const ProductQuery = graphql(`
  query Product($id: ID!) {
    product(id: $id) {
      id
      name
      description
      price
      discountAmount
      salePrice
      status
      stockQuantity
      gender
      color
      size
      brand {
        id
        name
      }
      category {
        id
        name
      }
      lowestPrice {
        ...LivePriceFields
      }
      activeTimeSale {
        id
        discountRate
        remainingQuantity
        perUserLimit
        timeSale {
          id
          title
          endAt
        }
      }
      timeSales {
        id
        title
        startAt
        status
      }
    }
  }
`);

export function ProductPage() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: ProductQuery, variables: { id } });
  const live = useLivePrices(data?.product ? [id] : []).get(id);
  const [added, setAdded] = useState('');
  if (fetching && !data) return <Loading what="the product" />;
  if (error) return <ErrorNotice error={explain(error)} />;
  const product = data?.product;
  if (!product) {
    return (
      <section>
        <h1>Product not found</h1>
        <p>
          This product does not exist or is no longer listed. <Link to="/">Back to the shop</Link>
        </p>
      </section>
    );
  }
  const lowest = live ? live.lowestPrice : product.lowestPrice;
  const status = live?.status ?? product.status;
  const stock = live?.stockQuantity ?? product.stockQuantity;
  const sale = product.activeTimeSale;
  const upcoming = product.timeSales.filter((timeSale) => timeSale.status === 'SCHEDULED');
  return (
    <article className="product" aria-labelledby="product-title">
      <p className="muted">
        {product.brand.name} · {product.category.name}
      </p>
      <h1 id="product-title">{product.name}</h1>
      <section aria-label="Price" className="product-price">
        {lowest ? <Price price={lowest} large /> : <p className="price price-large">{formatWon(product.salePrice)}</p>}
        {lowest?.source === 'TIME_SALE' && lowest.timeSale && (
          <p>
            Time sale price from <Link to={`/sales/${lowest.timeSale.id}`}>{lowest.timeSale.title}</Link>
            {lowest.validUntil && <>, until {formatDateTime(lowest.validUntil)}</>}.
          </p>
        )}
        {lowest?.source === 'PRODUCT_DISCOUNT' && <p>The brand's own discount.</p>}
        {!lowest && <p className="muted">Checking for the lowest price…</p>}
      </section>
      <LiveMessage className="stock">
        {status === 'SOLD_OUT' ? (
          <strong className="badge badge-soldout">Sold out</strong>
        ) : (
          <span>{stock <= 10 ? `Only ${stock} left in stock` : 'In stock'}</span>
        )}
      </LiveMessage>
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={status !== 'ON_SALE'}
          onClick={() => {
            cart.add(product.id, 1, sale?.timeSale.id);
            setAdded(`${product.name} is in your cart.`);
          }}
        >
          {status === 'ON_SALE' ? (sale ? 'Add to cart at the sale price' : 'Add to cart') : 'Sold out'}
        </button>
        <Link className="button" to="/cart">
          See the cart
        </Link>
      </div>
      <LiveMessage className="success">{added}</LiveMessage>
      {sale && (
        <section className="sale-box" aria-labelledby="sale-now">
          <h2 id="sale-now">On sale now: {sale.timeSale.title}</h2>
          <p>
            −{sale.discountRate}% · {sale.remainingQuantity} left at the sale price
            {sale.perUserLimit ? ` · at most ${sale.perUserLimit} per shopper` : ''} · ends{' '}
            {formatDateTime(sale.timeSale.endAt)}
          </p>
          <Link className="button primary" to={`/sales/${sale.timeSale.id}`}>
            Go to the sale
          </Link>
        </section>
      )}
      {upcoming.length > 0 && (
        <section aria-labelledby="sale-next">
          <h2 id="sale-next">Coming sales</h2>
          <ul>
            {upcoming.map((timeSale) => (
              <li key={timeSale.id}>
                <Link to={`/sales/${timeSale.id}`}>{timeSale.title}</Link>, from {formatDateTime(timeSale.startAt)}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="details">
        <h2 id="details">Details</h2>
        <p>{product.description}</p>
        <dl className="facts">
          <dt>For</dt>
          <dd>{product.gender === 'ALL' ? 'Everyone' : humanize(product.gender)}</dd>
          <dt>Colour</dt>
          <dd>{humanize(product.color)}</dd>
          <dt>Size</dt>
          <dd>{humanize(product.size)}</dd>
          <dt>Regular price</dt>
          <dd>{formatWon(product.price)}</dd>
        </dl>
      </section>
    </article>
  );
}
