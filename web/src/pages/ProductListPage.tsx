import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { Price } from '../components/Price';
import { ErrorNotice, Loading } from '../components/ui';
import { graphql } from '../generated/graphql';
import type { Color, Gender, ProductFilter, ProductSort, Size } from '../generated/graphql/graphql';
import { explain } from '../lib/errors';
import { formatWon, humanize } from '../lib/format';
import { useLivePrices } from '../lib/live-prices';

const PAGE_SIZE = 20;

const ProductsQuery = graphql(`
  query Products($filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String) {
    products(filter: $filter, sort: $sort, first: $first, after: $after) {
      edges {
        node {
          id
          name
          price
          salePrice
          status
          stockQuantity
          brand {
            id
            name
          }
          lowestPrice {
            ...LivePriceFields
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const CategoriesQuery = graphql(`
  query Categories {
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

const GENDERS: Gender[] = ['MAN', 'WOMAN', 'ALL'];
const COLORS: Color[] = ['RED', 'ORANGE', 'YELLOW', 'GREEN', 'BLUE', 'NAVY', 'PURPLE'];
const SIZES: Size[] = ['SMALL', 'MEDIUM', 'LARGE', 'FREE'];
const SORTS: { value: ProductSort; label: string }[] = [
  { value: 'NEWEST', label: 'Newest' },
  { value: 'PRICE_ASC', label: 'Price: low to high' },
  { value: 'PRICE_DESC', label: 'Price: high to low' },
];

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  values.find((candidate) => candidate === value);

const wholeWon = (value: string | null): number | undefined => {
  if (!value) return undefined;
  const amount = Number(value);
  return Number.isInteger(amount) && amount >= 0 ? amount : undefined;
};

/** The filter and sort, kept in the address (shareable, and the back button restores them). */
function readFilters(search: URLSearchParams): { filter: ProductFilter; sort: ProductSort } {
  const filter: ProductFilter = {};
  const query = search.get('q')?.trim();
  if (query) filter.query = query;
  const gender = oneOf(GENDERS, search.get('gender'));
  if (gender) filter.gender = gender;
  const color = oneOf(COLORS, search.get('color'));
  if (color) filter.color = color;
  const size = oneOf(SIZES, search.get('size'));
  if (size) filter.size = size;
  const category = search.get('category');
  if (category) filter.categoryId = category;
  const minPrice = wholeWon(search.get('min'));
  if (minPrice !== undefined) filter.minPrice = minPrice;
  const maxPrice = wholeWon(search.get('max'));
  if (maxPrice !== undefined) filter.maxPrice = maxPrice;
  return {
    filter,
    sort:
      oneOf(
        SORTS.map((s) => s.value),
        search.get('sort'),
      ) ?? 'NEWEST',
  };
}

export function ProductListPage() {
  const [search, setSearch] = useSearchParams();
  const { filter, sort } = readFilters(search);
  const filterKey = search.toString();
  const activeFilters = Object.keys(filter).filter((name) => name !== 'query').length + (sort === 'NEWEST' ? 0 : 1);
  // Open on wide screens; on a phone the list comes first.
  const [filtersOpen, setFiltersOpen] = useState(() => window.matchMedia('(min-width: 720px)').matches);
  // Pages shown so far, by the cursor each starts after ("Show more" adds one).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter or sort starts again from the first page
  useEffect(() => setCursors([null]), [filterKey]);

  const set = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    setSearch(next);
  };
  const submitSearch = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams(search);
    for (const name of ['q', 'min', 'max']) {
      const value = String(form.get(name) ?? '').trim();
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setSearch(next);
  };

  return (
    <section aria-labelledby="shop-title">
      <h1 id="shop-title">Shop</h1>
      <search aria-label="Products">
        <form className="filters" onSubmit={submitSearch} key={filterKey}>
          <div className="search-row">
            <div className="field">
              <label htmlFor="filter-q">Search</label>
              <input id="filter-q" name="q" type="search" defaultValue={search.get('q') ?? ''} maxLength={100} />
            </div>
            <button type="submit">Search</button>
          </div>
          <details open={filtersOpen} onToggle={(event) => setFiltersOpen(event.currentTarget.open)}>
            <summary>
              Filters and sort
              {activeFilters > 0 && ` (${activeFilters} on)`}
            </summary>
            <div className="filter-grid">
              <CategorySelect value={search.get('category') ?? ''} onChange={(value) => set('category', value)} />
              <Choice
                label="For"
                id="filter-gender"
                value={search.get('gender') ?? ''}
                options={GENDERS}
                onChange={(v) => set('gender', v)}
              />
              <Choice
                label="Colour"
                id="filter-color"
                value={search.get('color') ?? ''}
                options={COLORS}
                onChange={(v) => set('color', v)}
              />
              <Choice
                label="Size"
                id="filter-size"
                value={search.get('size') ?? ''}
                options={SIZES}
                onChange={(v) => set('size', v)}
              />
              <div className="field field-small">
                <label htmlFor="filter-min">Min price (won)</label>
                <input
                  id="filter-min"
                  name="min"
                  type="number"
                  min={0}
                  step={1000}
                  inputMode="numeric"
                  defaultValue={search.get('min') ?? ''}
                />
              </div>
              <div className="field field-small">
                <label htmlFor="filter-max">Max price (won)</label>
                <input
                  id="filter-max"
                  name="max"
                  type="number"
                  min={0}
                  step={1000}
                  inputMode="numeric"
                  defaultValue={search.get('max') ?? ''}
                />
              </div>
              <div className="field">
                <label htmlFor="filter-sort">Sort by</label>
                <select
                  id="filter-sort"
                  value={sort}
                  onChange={(event) => set('sort', event.target.value === 'NEWEST' ? '' : event.target.value)}
                >
                  {SORTS.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit">Apply prices</button>
            </div>
          </details>
        </form>
      </search>
      <ul className="product-grid" aria-label="Products">
        {cursors.map((after, index) => (
          <ProductPage
            key={`${filterKey}:${after ?? ''}`}
            filter={filter}
            sort={sort}
            after={after}
            isLast={index === cursors.length - 1}
            onMore={(cursor) => setCursors((pages) => [...pages, cursor])}
          />
        ))}
      </ul>
    </section>
  );
}

function Choice<T extends string>(props: {
  readonly label: string;
  readonly id: string;
  readonly value: string;
  readonly options: readonly T[];
  readonly onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">Any</option>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {humanize(option)}
          </option>
        ))}
      </select>
    </div>
  );
}

function CategorySelect({ value, onChange }: { readonly value: string; readonly onChange: (value: string) => void }) {
  const [{ data }] = useQuery({ query: CategoriesQuery });
  return (
    <div className="field">
      <label htmlFor="filter-category">Category</label>
      <select id="filter-category" value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">All</option>
        {data?.categories.map((category) => (
          <optgroup key={category.id} label={category.name}>
            <option value={category.id}>All {category.name}</option>
            {category.children.map((child) => (
              <option key={child.id} value={child.id}>
                {child.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

/** One page of products (its own query and its own live prices), and "Show more" after the last. */
function ProductPage(props: {
  readonly filter: ProductFilter;
  readonly sort: ProductSort;
  readonly after: string | null;
  readonly isLast: boolean;
  readonly onMore: (cursor: string) => void;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: ProductsQuery,
    variables: { filter: props.filter, sort: props.sort, first: PAGE_SIZE, after: props.after },
  });
  const products = data?.products.edges.map((edge) => edge.node) ?? [];
  const live = useLivePrices(products.map((product) => product.id));
  const pageInfo = data?.products.pageInfo;
  return (
    <>
      {products.map((product) => {
        const state = live.get(product.id);
        const lowest = state ? state.lowestPrice : product.lowestPrice;
        const status = state?.status ?? product.status;
        return (
          <li key={product.id} className="product-card">
            <Link to={`/products/${product.id}`} className="product-link">
              {product.name}
            </Link>
            <p className="muted">{product.brand.name}</p>
            {lowest ? <Price price={lowest} /> : <p className="price">{formatWon(product.salePrice)}</p>}
            {status === 'SOLD_OUT' && <p className="badge badge-soldout">Sold out</p>}
          </li>
        );
      })}
      {props.isLast && (
        <li className="grid-footer">
          {fetching && !data && <Loading what="products" />}
          <ErrorNotice error={explain(error)} />
          {data && products.length === 0 && props.after === null && <p>No products match. Try fewer filters.</p>}
          {pageInfo?.hasNextPage && pageInfo.endCursor && (
            <button type="button" onClick={() => props.onMore(pageInfo.endCursor ?? '')}>
              Show more products
            </button>
          )}
        </li>
      )}
    </>
  );
}
