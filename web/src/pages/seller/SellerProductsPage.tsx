import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { MoreButton, PagedList, usePages } from '../../components/paging';
import { SelectField } from '../../components/SelectField';
import { ErrorNotice, Field, LiveMessage } from '../../components/ui';
import { graphql } from '../../generated/graphql';
import type { Color, Gender, Size } from '../../generated/graphql/graphql';
import { explain, formError, problemFor } from '../../lib/errors';
import { formatWon, humanize } from '../../lib/format';
import { useBrandChoice } from './BrandPicker';

const BrandProductsQuery = graphql(`
  query BrandProducts($brandId: ID!, $after: String) {
    products(filter: { brandId: $brandId }, first: 20, after: $after) {
      edges {
        node {
          id
          name
          price
          discountAmount
          salePrice
          status
          stockQuantity
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const CategoryOptionsQuery = graphql(`
  query CategoryOptions {
    categories {
      id
      name
      children {
        id
        name
      }
    }
  }
`);

const CreateProductMutation = graphql(`
  mutation CreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) {
      id
      name
    }
  }
`);

const UpdatePriceMutation = graphql(`
  mutation UpdateProductPrice($id: ID!, $price: Int!) {
    updateProduct(id: $id, input: { price: $price }) {
      id
      price
      salePrice
    }
  }
`);

const AdjustStockMutation = graphql(`
  mutation AdjustStock($productId: ID!, $delta: Int!) {
    adjustStock(productId: $productId, delta: $delta) {
      id
      stockQuantity
      status
    }
  }
`);

const genders: Gender[] = ['ALL', 'MAN', 'WOMAN'];
const colors: Color[] = ['RED', 'ORANGE', 'YELLOW', 'GREEN', 'BLUE', 'NAVY', 'PURPLE'];
const sizes: Size[] = ['SMALL', 'MEDIUM', 'LARGE', 'FREE'];
const optionsOf = (values: readonly string[]) => values.map((value) => ({ value, label: humanize(value) }));

/** A whole number typed in a field, or undefined. */
const wholeNumber = (text: string): number | undefined => {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isSafeInteger(value) ? value : undefined;
};

export function SellerProductsPage() {
  const { brand, picker } = useBrandChoice();
  const pages = usePages();
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState('');
  const reload = (message: string) => {
    setNotice(message);
    pages.reset();
    setVersion((n) => n + 1);
  };
  return (
    <section aria-labelledby="products-title">
      <h2 id="products-title">My products</h2>
      {picker}
      <LiveMessage className="success">{notice}</LiveMessage>
      {brand && (
        <>
          <PagedList
            pages={pages}
            version={`${brand.id}:${version}`}
            renderPage={(slot) => <ProductsPage {...slot} brandId={brand.id} onChanged={setNotice} />}
          />
          <NewProductForm brandId={brand.id} onDone={(name) => reload(`${name} added.`)} />
        </>
      )}
    </section>
  );
}

function ProductsPage(props: {
  readonly brandId: string;
  readonly after: string | null;
  readonly isLast: boolean;
  readonly onMore: (cursor: string) => void;
  readonly onChanged: (message: string) => void;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: BrandProductsQuery,
    variables: { brandId: props.brandId, after: props.after },
  });
  const products = data?.products.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      {products.map((product) => (
        <ProductCard key={product.id} product={product} onChanged={props.onChanged} />
      ))}
      {props.isLast && (
        <li className="grid-footer">
          {fetching && !data && <p role="status">Loading products…</p>}
          <ErrorNotice error={explain(error)} />
          {data && products.length === 0 && props.after === null && <p>No product in this brand yet.</p>}
          <MoreButton pageInfo={data?.products.pageInfo} isLast what="products" onMore={props.onMore} />
        </li>
      )}
    </>
  );
}

interface ProductRow {
  readonly id: string;
  readonly name: string;
  readonly price: number;
  readonly discountAmount: number;
  readonly salePrice: number;
  readonly status: string;
  readonly stockQuantity: number;
}

function ProductCard({
  product,
  onChanged,
}: {
  readonly product: ProductRow;
  readonly onChanged: (message: string) => void;
}) {
  const [priceResult, updatePrice] = useMutation(UpdatePriceMutation);
  const [stockResult, adjust] = useMutation(AdjustStockMutation);
  const [price, setPrice] = useState(String(product.price));
  const [delta, setDelta] = useState('');
  const [localError, setLocalError] = useState<string>();
  const titleId = `product-${product.id}`;
  const savePrice = async (event: FormEvent) => {
    event.preventDefault();
    const value = wholeNumber(price);
    setLocalError(value === undefined ? 'Enter the price in whole won.' : undefined);
    if (value === undefined) return;
    const answer = await updatePrice({ id: product.id, price: value });
    if (answer.data) onChanged(`${product.name} now costs ${formatWon(answer.data.updateProduct.price)}.`);
  };
  const saveStock = async (event: FormEvent) => {
    event.preventDefault();
    const value = wholeNumber(delta);
    setLocalError(value === undefined || value === 0 ? 'Enter how many units to add (negative to remove).' : undefined);
    if (value === undefined || value === 0) return;
    const answer = await adjust({ productId: product.id, delta: value });
    if (answer.data) {
      setDelta('');
      onChanged(`${product.name}: ${answer.data.adjustStock.stockQuantity} in stock.`);
    }
  };
  const error = explain(priceResult.error ?? stockResult.error);
  return (
    <li className="card" aria-labelledby={titleId}>
      <h3 id={titleId}>
        <Link to={`/products/${product.id}`}>{product.name}</Link>
      </h3>
      <p>
        {formatWon(product.salePrice)}
        {product.discountAmount > 0 && ` (${formatWon(product.price)} less ${formatWon(product.discountAmount)})`} ·{' '}
        {product.stockQuantity} in stock · <span className="badge">{humanize(product.status)}</span>
      </p>
      <form onSubmit={(event) => void savePrice(event)} noValidate className="inline-form">
        <Field
          label={`Price of ${product.name} (won)`}
          type="number"
          inputMode="numeric"
          min={0}
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          error={problemFor(explain(priceResult.error), 'price')}
        />
        <button type="submit" disabled={priceResult.fetching}>
          Save price<span className="visually-hidden"> of {product.name}</span>
        </button>
      </form>
      <form onSubmit={(event) => void saveStock(event)} noValidate className="inline-form">
        <Field
          label={`Add stock to ${product.name}`}
          hint="Negative to remove."
          type="number"
          inputMode="numeric"
          value={delta}
          onChange={(e) => setDelta(e.target.value)}
          error={problemFor(explain(stockResult.error), 'delta')}
        />
        <button type="submit" disabled={stockResult.fetching}>
          Update stock<span className="visually-hidden"> of {product.name}</span>
        </button>
      </form>
      <ErrorNotice error={localError ?? formError(error, ['price', 'delta'])} />
    </li>
  );
}

function NewProductForm({ brandId, onDone }: { readonly brandId: string; readonly onDone: (name: string) => void }) {
  const [{ data: categoryData }] = useQuery({ query: CategoryOptionsQuery });
  const [result, create] = useMutation(CreateProductMutation);
  const [name, setName] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [price, setPrice] = useState('');
  const [stock, setStock] = useState('');
  const [gender, setGender] = useState<Gender>('ALL');
  const [color, setColor] = useState<Color>('NAVY');
  const [size, setSize] = useState<Size>('FREE');
  const [localError, setLocalError] = useState<string>();
  const categories = (categoryData?.categories ?? []).flatMap((root) => [
    { value: root.id, label: root.name },
    ...root.children.map((child) => ({ value: child.id, label: `${root.name} › ${child.name}` })),
  ]);
  const chosenCategory = categoryId || categories[0]?.value || '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const priceValue = wholeNumber(price);
    const stockValue = wholeNumber(stock);
    if (priceValue === undefined || stockValue === undefined) {
      setLocalError('Enter the price and the stock as whole numbers.');
      return;
    }
    setLocalError(undefined);
    const answer = await create({
      input: {
        brandId,
        categoryId: chosenCategory,
        name,
        price: priceValue,
        stockQuantity: stockValue,
        gender,
        color,
        size,
      },
    });
    if (answer.data) {
      onDone(answer.data.createProduct.name);
      setName('');
      setPrice('');
      setStock('');
    }
  };
  const problem = explain(result.error);
  const shown = ['name', 'categoryId', 'price', 'stockQuantity'];
  return (
    <form
      onSubmit={(event) => void submit(event)}
      noValidate
      className="form-block"
      aria-labelledby="new-product-title"
    >
      <h3 id="new-product-title">New product</h3>
      <Field
        label="Product name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={problemFor(problem, 'name')}
      />
      <SelectField
        label="Category"
        options={categories}
        value={chosenCategory}
        onChange={(e) => setCategoryId(e.target.value)}
        error={problemFor(problem, 'categoryId')}
      />
      <Field
        label="Price (won)"
        type="number"
        inputMode="numeric"
        min={0}
        value={price}
        onChange={(e) => setPrice(e.target.value)}
        error={problemFor(problem, 'price')}
      />
      <Field
        label="Stock (units)"
        type="number"
        inputMode="numeric"
        min={0}
        value={stock}
        onChange={(e) => setStock(e.target.value)}
        error={problemFor(problem, 'stockQuantity')}
      />
      <SelectField
        label="For"
        options={optionsOf(genders)}
        value={gender}
        onChange={(e) => setGender(e.target.value as Gender)}
      />
      <SelectField
        label="Colour"
        options={optionsOf(colors)}
        value={color}
        onChange={(e) => setColor(e.target.value as Color)}
      />
      <SelectField
        label="Size"
        options={optionsOf(sizes)}
        value={size}
        onChange={(e) => setSize(e.target.value as Size)}
      />
      <ErrorNotice error={localError ?? formError(problem, shown)} />
      <button type="submit" className="primary" disabled={result.fetching}>
        {result.fetching ? 'Adding…' : 'Add product'}
      </button>
    </form>
  );
}
