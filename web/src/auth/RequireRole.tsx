import type { ReactNode } from 'react';
import type { SessionUser } from './session';
import { useUser } from './use-session';

/** Its children for a signed-in user with one of `roles` (inside RequireAuth); a sentence for anyone else. */
export function RequireRole({
  roles,
  children,
}: {
  readonly roles: readonly SessionUser['role'][];
  readonly children: ReactNode;
}) {
  const user = useUser();
  if (user && roles.includes(user.role)) return children;
  return (
    <section aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">Not for this account</h1>
      <p>
        This page is for {roles.includes('SELLER') ? 'sellers' : 'admins'}. If you have just become one, log out and in
        again.
      </p>
    </section>
  );
}
