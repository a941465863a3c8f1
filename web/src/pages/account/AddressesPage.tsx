import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorNotice, Field, LiveMessage, Loading } from '../../components/ui';
import { graphql } from '../../generated/graphql';
import type { AddressesQuery as AddressesResult } from '../../generated/graphql/graphql';
import { explain, formError, problemFor } from '../../lib/errors';

const AddressesQuery = graphql(`
  query Addresses {
    me {
      id
      addresses {
        id
        label
        recipient
        phone
        zipCode
        roadAddress
        detailAddress
        isDefault
      }
    }
  }
`);

const AddAddressMutation = graphql(`
  mutation AddAddress($input: AddAddressInput!) {
    addAddress(input: $input) {
      id
    }
  }
`);

const UpdateAddressMutation = graphql(`
  mutation UpdateAddress($id: ID!, $input: UpdateAddressInput!) {
    updateAddress(id: $id, input: $input) {
      id
      label
      recipient
      phone
      zipCode
      roadAddress
      detailAddress
    }
  }
`);

const SetDefaultAddressMutation = graphql(`
  mutation SetDefaultAddress($id: ID!) {
    setDefaultAddress(id: $id) {
      id
      isDefault
    }
  }
`);

const RemoveAddressMutation = graphql(`
  mutation RemoveAddress($id: ID!) {
    removeAddress(id: $id)
  }
`);

type Address = NonNullable<NonNullable<AddressesResult['me']>['addresses']>[number];

interface AddressValues {
  label: string;
  recipient: string;
  phone: string;
  zipCode: string;
  roadAddress: string;
  detailAddress: string;
}

const empty: AddressValues = { label: '', recipient: '', phone: '', zipCode: '', roadAddress: '', detailAddress: '' };

export function AddressesPage() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: AddressesQuery });
  const [editing, setEditing] = useState<string | 'new'>();
  const [notice, setNotice] = useState('');
  const [setDefaultResult, setDefault] = useMutation(SetDefaultAddressMutation);
  const [removeResult, remove] = useMutation(RemoveAddressMutation);
  const addresses = data?.me?.addresses ?? [];
  const reload = () => refetch({ requestPolicy: 'network-only' });

  if (fetching && !data) return <Loading what="your addresses" />;
  return (
    <section aria-labelledby="addresses-title">
      <h2 id="addresses-title">Shipping addresses</h2>
      <ErrorNotice error={explain(error ?? setDefaultResult.error ?? removeResult.error)} />
      <LiveMessage className="success">{notice}</LiveMessage>
      {addresses.length === 0 && <p>No saved address yet.</p>}
      <ul className="card-list">
        {addresses.map((address) => (
          <li key={address.id} className="card" aria-label={address.label ?? address.recipient}>
            {editing === address.id ? (
              <AddressForm
                address={address}
                onDone={(message) => {
                  setEditing(undefined);
                  setNotice(message);
                  reload();
                }}
                onCancel={() => setEditing(undefined)}
              />
            ) : (
              <>
                <p>
                  <strong>{address.label ?? address.recipient}</strong>{' '}
                  {address.isDefault && <span className="badge">Default</span>}
                </p>
                <address>
                  {address.recipient}, {address.phone}
                  <br />({address.zipCode}) {address.roadAddress} {address.detailAddress}
                </address>
                <div className="actions">
                  <button type="button" onClick={() => setEditing(address.id)}>
                    Edit<span className="visually-hidden"> {address.label ?? address.recipient}</span>
                  </button>
                  {!address.isDefault && (
                    <button
                      type="button"
                      onClick={async () => {
                        const answer = await setDefault({ id: address.id });
                        if (answer.data) {
                          setNotice('Default address changed.');
                          reload();
                        }
                      }}
                    >
                      Make default<span className="visually-hidden"> {address.label ?? address.recipient}</span>
                    </button>
                  )}
                  <button
                    type="button"
                    className="danger"
                    onClick={async () => {
                      if (!window.confirm('Remove this address?')) return;
                      const answer = await remove({ id: address.id });
                      if (answer.data) {
                        setNotice('Address removed.');
                        reload();
                      }
                    }}
                  >
                    Remove<span className="visually-hidden"> {address.label ?? address.recipient}</span>
                  </button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      {editing === 'new' ? (
        <div className="card">
          <h3>New address</h3>
          <AddressForm
            onDone={(message) => {
              setEditing(undefined);
              setNotice(message);
              reload();
            }}
            onCancel={() => setEditing(undefined)}
          />
        </div>
      ) : (
        addresses.length < 10 && (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Add an address
          </button>
        )
      )}
    </section>
  );
}

function AddressForm(props: {
  readonly address?: Address;
  readonly onDone: (message: string) => void;
  readonly onCancel: () => void;
}) {
  const { address } = props;
  const [values, setValues] = useState<AddressValues>(
    address
      ? {
          label: address.label ?? '',
          recipient: address.recipient,
          phone: address.phone,
          zipCode: address.zipCode,
          roadAddress: address.roadAddress,
          detailAddress: address.detailAddress,
        }
      : empty,
  );
  const [isDefault, setIsDefault] = useState(false);
  const [addResult, add] = useMutation(AddAddressMutation);
  const [updateResult, update] = useMutation(UpdateAddressMutation);
  const error = explain(addResult.error ?? updateResult.error);
  const busy = addResult.fetching || updateResult.fetching;
  const field = (name: keyof AddressValues) => ({
    value: values[name],
    onChange: (event: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: event.target.value })),
    error: problemFor(error, name),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (address) {
      const answer = await update({ id: address.id, input: values });
      if (answer.data) props.onDone('Address saved.');
    } else {
      const answer = await add({ input: { ...values, isDefault } });
      if (answer.data) props.onDone('Address added.');
    }
  };
  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="address-form">
      <Field label="Label (optional)" hint='e.g. "Home", "Office"' maxLength={20} {...field('label')} />
      <Field label="Recipient" autoComplete="name" required {...field('recipient')} />
      <Field label="Mobile phone" type="tel" autoComplete="tel" required {...field('phone')} />
      <Field
        label="Postal code"
        inputMode="numeric"
        autoComplete="postal-code"
        required
        maxLength={5}
        {...field('zipCode')}
      />
      <Field label="Road address" autoComplete="address-line1" required {...field('roadAddress')} />
      <Field label="Building, floor, unit (optional)" autoComplete="address-line2" {...field('detailAddress')} />
      {!address && (
        <div className="field field-check">
          <input
            id="address-default"
            type="checkbox"
            checked={isDefault}
            onChange={(e) => setIsDefault(e.target.checked)}
          />
          <label htmlFor="address-default">Make it my default address</label>
        </div>
      )}
      <ErrorNotice error={formError(error, Object.keys(empty))} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save address'}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
