import type { Role, Viewer } from '@radiata/auth-context';
import { forbidden, unauthenticated } from '@radiata/errors';
import type { Logger } from '@radiata/observability';

/** What every resolver knows about its request; subgraphs extend it with loaders and services. */
export interface RequestContext {
  readonly viewer: Viewer | null;
  readonly requestId: string;
  /** The client's IP address, as the gateway signed it (null when it signed none): per-address limits key on it. */
  readonly clientAddress: string | null;
  /** The viewer's session (their access token's `sid`), as the gateway signed it; null when anonymous or not signed. */
  readonly sessionId: string | null;
  /** The client's User-Agent (cut to 256 characters), as the gateway signed it; null when it sent none. */
  readonly userAgent: string | null;
  readonly logger: Logger;
}

/** The signed-in viewer, or UNAUTHENTICATED. Authorization is decided in the domain: see ARCHITECTURE.md. */
export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}

/** The viewer if their role is one of `roles`: UNAUTHENTICATED when anonymous, FORBIDDEN otherwise. */
export function requireRole(viewer: Viewer | null, ...roles: readonly Role[]): Viewer {
  const signedIn = requireViewer(viewer);
  if (!roles.includes(signedIn.role)) throw forbidden();
  return signedIn;
}
