import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from './use-session';

/** Its children for a signed-in shopper; otherwise the log-in page, coming back here after. */
export function RequireAuth({ children }: { readonly children: ReactNode }) {
  const state = useSession();
  const location = useLocation();
  if (state.status === 'signedIn') return children;
  return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
}
