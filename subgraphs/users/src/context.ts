import type { Viewer } from '@radiata/auth-context';
import type { Redis } from '@radiata/redis';
import type { RequestContext } from '@radiata/service-runtime';
import type { Accounts } from './domain/accounts.js';
import type { OrderPoints } from './domain/order-points.js';
import type { PointLedger } from './domain/points.js';
import type { Sessions } from './domain/sessions.js';
import type { AuthThrottles } from './domain/throttles.js';
import type { UsersLoaders } from './loaders.js';
import type { Database } from './persistence/database.js';

export interface UsersServices {
  readonly db: Database;
  readonly redis: Redis;
  readonly accounts: Accounts;
  readonly sessions: Sessions;
  readonly points: PointLedger;
  /** The order saga's use, earn and refund of an order's points. */
  readonly orderPoints: OrderPoints;
  /** Brute-force and abuse limits on signing in (Redis-backed, shared by replicas). */
  readonly throttles: AuthThrottles;
}

export interface UsersContext extends RequestContext, UsersServices {
  readonly loaders: UsersLoaders;
  /** Set when this request itself signs someone in (signUp, logIn, refreshToken). */
  readonly signedIn: { viewer: Viewer | null };
}

/** Who the request acts for: the gateway's viewer, or the user this request just signed in. */
export const actingViewer = (context: UsersContext): Viewer | null => context.viewer ?? context.signedIn.viewer;
