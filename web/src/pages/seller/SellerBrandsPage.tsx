import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ErrorNotice, Field, LiveMessage, Loading } from '../../components/ui';
import { graphql } from '../../generated/graphql';
import { explain, formError, problemFor } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { MyBrandsQuery } from './SellerLayout';

const CreateBrandMutation = graphql(`
  mutation CreateBrand($input: CreateBrandInput!) {
    createBrand(input: $input) {
      id
      name
    }
  }
`);

export function SellerBrandsPage() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: MyBrandsQuery });
  const [result, create] = useMutation(CreateBrandMutation);
  const [name, setName] = useState('');
  const [notice, setNotice] = useState('');
  const brands = data?.me?.brands ?? [];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNotice('');
    const answer = await create({ input: { name } });
    if (answer.data) {
      setNotice(`Brand ${answer.data.createBrand.name} created.`);
      setName('');
      refetch({ requestPolicy: 'network-only' });
    }
  };
  const problem = explain(result.error);
  return (
    <section aria-labelledby="brands-title">
      <h2 id="brands-title">My brands</h2>
      {fetching && !data && <Loading what="your brands" />}
      <ErrorNotice error={explain(error)} />
      {data && brands.length === 0 && <p>No brand yet: create your first one below.</p>}
      <ul className="card-list">
        {brands.map((brand) => (
          <li key={brand.id} className="card">
            <h3>{brand.name}</h3>
            <p className="muted">
              Since {formatDateTime(brand.createdAt)}
              {brand.grade && ` · grade ${brand.grade.name} (fee ${brand.grade.feeRatePercent} %)`}
            </p>
            <p>
              <Link to={`/seller/products?brand=${brand.id}`}>
                Products<span className="visually-hidden"> of {brand.name}</span>
              </Link>{' '}
              ·{' '}
              <Link to={`/seller/sales?brand=${brand.id}`}>
                Time sales<span className="visually-hidden"> of {brand.name}</span>
              </Link>
            </p>
          </li>
        ))}
      </ul>
      <form
        onSubmit={(event) => void submit(event)}
        noValidate
        className="form-block"
        aria-labelledby="new-brand-title"
      >
        <h3 id="new-brand-title">New brand</h3>
        <Field
          label="Brand name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={problemFor(problem, 'name')}
        />
        <ErrorNotice error={formError(problem, ['name'])} />
        <button type="submit" className="primary" disabled={result.fetching}>
          {result.fetching ? 'Creating…' : 'Create brand'}
        </button>
        <LiveMessage className="success">{notice}</LiveMessage>
      </form>
    </section>
  );
}
