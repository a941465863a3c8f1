import type { ReactNode } from 'react';
import { Provider } from 'urql';
import { useSession } from '../auth/use-session';
import { createGraphClient, type GraphClient } from './client';

// One client per identity, kept outside React so that StrictMode's double renders and effects
// never dispose a client still in use; the previous identity's client is disposed on a change.
let current: { identity: string; client: GraphClient } | undefined;

function clientFor(identity: string): GraphClient {
  if (current?.identity !== identity) {
    current?.client.dispose();
    current = { identity, client: createGraphClient() };
  }
  return current.client;
}

export function GraphProvider({ children }: { readonly children: ReactNode }) {
  const state = useSession();
  const client = clientFor(state.status === 'signedIn' ? state.user.id : 'anonymous');
  return <Provider value={client.urql}>{children}</Provider>;
}
