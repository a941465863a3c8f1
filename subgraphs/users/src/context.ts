import type { Viewer } from '@radiata/auth-context';
import type { Redis } from '@radiata/redis';
import type { RequestContext } from '@radiata/service-runtime';
import type { AccountDeletion } from './domain/account-deletion.js';
import type { AccountHolds } from './domain/account-holds.js';
import type { Accounts } from './domain/accounts.js';
import type { AddressBook } from './domain/address-book.js';
import type { Credentials } from './domain/credentials.js';
import type { OrderPoints } from './domain/order-points.js';
import type { PointLedger } from './domain/points.js';
import type { Profiles } from './domain/profiles.js';
import type { SellerApplications } from './domain/seller-applications.js';
import type { Sessions } from './domain/sessions.js';
import type { AuthThrottles } from './domain/throttles.js';
import type { UsersLoaders } from './loaders.js';
import type { Database } from './persistence/database.js';

export interface UsersServices {
  readonly db: Database;
  readonly redis: Redis;
  readonly accounts: Accounts;
  /** A user's own name, phone and locale. */
  readonly profiles: Profiles;
  /** A user's shipping addresses (publishes users.address.*). */
  readonly addresses: AddressBook;
  readonly sessions: Sessions;
  /** Password changes and resets by email. */
  readonly credentials: Credentials;
  readonly points: PointLedger;
  /** The order saga's use, earn and refund of an order's points. */
  readonly orderPoints: OrderPoints;
  /** Brute-force and abuse limits on signing in (Redis-backed, shared by replicas). */
  readonly throttles: AuthThrottles;
  /** Seller onboarding: customers' applications, admins' decisions. */
  readonly sellerApplications: SellerApplications;
  /** What holds accounts open (orders in flight, wallet balances), fed by orders' and payments' events. */
  readonly accountHolds: AccountHolds;
  /** A user's deletion of their own account. */
  readonly accountDeletion: AccountDeletion;
}

export interface UsersContext extends RequestContext, UsersServices {
  readonly loaders: UsersLoaders;
  /** Set when this request itself signs someone in (signUp, logIn, refreshToken): who, and their session. */
  readonly signedIn: { viewer: Viewer | null; sessionId: string | null };
}

/** Who the request acts for: the gateway's viewer, or the user this request just signed in. */
export const actingViewer = (context: UsersContext): Viewer | null => context.viewer ?? context.signedIn.viewer;
