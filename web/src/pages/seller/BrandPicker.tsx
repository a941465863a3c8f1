import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { ErrorNotice, Loading } from '../../components/ui';
import { explain } from '../../lib/errors';
import { MyBrandsQuery } from './SellerLayout';

/** The brand a seller page works on (`?brand=` in the address; the first brand by default). */
export function useBrandChoice() {
  const [{ data, fetching, error }] = useQuery({ query: MyBrandsQuery });
  const [search, setSearch] = useSearchParams();
  const brands = data?.me?.brands ?? [];
  const chosen = brands.find((brand) => brand.id === search.get('brand')) ?? brands[0];
  const picker = (
    <>
      {fetching && !data && <Loading what="your brands" />}
      <ErrorNotice error={explain(error)} />
      {data && brands.length === 0 && (
        <p>
          You have no brand yet. <Link to="/seller">Create one</Link> first.
        </p>
      )}
      {brands.length > 0 && (
        <div className="field">
          <label htmlFor="seller-brand">Brand</label>
          <select
            id="seller-brand"
            value={chosen?.id ?? ''}
            onChange={(e) => setSearch(new URLSearchParams({ brand: e.target.value }))}
          >
            {brands.map((brand) => (
              <option key={brand.id} value={brand.id}>
                {brand.name}
              </option>
            ))}
          </select>
        </div>
      )}
    </>
  );
  return { brand: chosen, picker };
}
