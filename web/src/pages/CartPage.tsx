import { Link } from 'react-router';
import { useQuery } from 'urql';
import { Price } from '../components/Price';
import { ErrorNotice } from '../components/ui';
import { graphql } from '../generated/graphql';
import { type CartLine, cart, useCart } from '../lib/cart';
import { explain } from '../lib/errors';

export const CartProductQuery = graphql(`
  query CartProduct($id: ID!) {
    product(id: $id) {
      id
      name
      status
      stockQuantity
      brand {
        name
      }
      lowestPrice {
        ...LivePriceFields
      }
    }
  }
`);

export function CartPage() {
  const lines = useCart();
  return (
    <section aria-labelledby="cart-title">
      <h1 id="cart-title">Cart</h1>
      {lines.length === 0 ? (
        <p>
          Your cart is empty. <Link to="/">Go shopping</Link>
        </p>
      ) : (
        <>
          <ul className="card-list" aria-label="Items in your cart">
            {lines.map((line) => (
              <CartRow key={`${line.productId}:${line.timeSaleId ?? ''}`} line={line} />
            ))}
          </ul>
          <p className="muted">Prices are confirmed when you place the order.</p>
          <Link className="button primary" to="/checkout">
            Check out
          </Link>
        </>
      )}
    </section>
  );
}

function CartRow({ line }: { readonly line: CartLine }) {
  const [{ data, error }] = useQuery({ query: CartProductQuery, variables: { id: line.productId } });
  const product = data?.product;
  const name = product?.name ?? 'This product';
  const quantityId = `qty-${line.productId}-${line.timeSaleId ?? ''}`;
  return (
    <li className="card">
      <ErrorNotice error={explain(error)} />
      {data && !product ? (
        <p>This product is no longer listed.</p>
      ) : (
        <>
          <Link className="product-link" to={`/products/${line.productId}`}>
            {name}
          </Link>
          {product && <p className="muted">{product.brand.name}</p>}
          {product?.lowestPrice && <Price price={product.lowestPrice} />}
          {line.timeSaleId && <p className="badge badge-sale">Time sale</p>}
          {product?.status === 'SOLD_OUT' && <p className="badge badge-soldout">Sold out</p>}
        </>
      )}
      <div className="actions">
        <div className="field field-small">
          <label htmlFor={quantityId}>Quantity</label>
          <input
            id={quantityId}
            type="number"
            min={1}
            max={99}
            inputMode="numeric"
            value={line.quantity}
            onChange={(event) => cart.setQuantity(line.productId, line.timeSaleId, Number(event.target.value) || 1)}
          />
        </div>
        <button type="button" className="danger" onClick={() => cart.remove(line.productId, line.timeSaleId)}>
          Remove<span className="visually-hidden"> {name}</span>
        </button>
      </div>
    </li>
  );
}
