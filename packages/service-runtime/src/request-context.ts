import type { Role, Viewer } from '@radiata/auth-context';
import { forbidden, unauthenticated } from '@radiata/errors';
import type { Logger } from '@radiata/observability';

/** What every resolver knows about its request; subgraphs extend it with loaders and services. */
export interface RequestContext {
  readonly viewer: Viewer | null;
  readonly requestId: string;
  readonly logger: Logger;
}

export function requireViewer(context: RequestContext): Viewer {
  if (!context.viewer) throw unauthenticated();
  return context.viewer;
}

export function requireRole(context: RequestContext, ...roles: readonly Role[]): Viewer {
  const viewer = requireViewer(context);
  if (!roles.includes(viewer.role)) throw forbidden();
  return viewer;
}
