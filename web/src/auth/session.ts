// The signed-in session: a 15-minute access token and a single-use, rotating refresh token.
//
// Where the tokens live: in localStorage, so a session survives a reload and every tab of the shop
// shares it. The trade-off: any script that runs on this origin (an XSS hole, a compromised
// dependency) can read them, which an httpOnly cookie would prevent for the refresh token; but the
// gateway hands tokens out in GraphQL answers, not cookies, and a cookie would need its own CSRF
// defence. What bounds the damage: access tokens live 15 minutes; a refresh token works once and
// presenting a used one again ends the whole session (a thief and the shopper cannot both go on
// unnoticed); log-out, a password change and "end other sessions" revoke at once; and the app
// renders no HTML it is sent (React escapes text).
//
// Silent refresh: a timer exchanges the refresh token a minute before the access token expires,
// and a request that finds it expired (a laptop waking up) refreshes first. Tabs take turns through
// a Web Lock: the tab that gets it second finds the pair already rotated in storage and adopts it,
// instead of presenting the used refresh token (which would end the session).
import { Client, fetchExchange } from '@urql/core';
import { gatewayUrl } from '../config';
import { graphql } from '../generated/graphql';

export interface SessionUser {
  readonly id: string;
  readonly name: string;
  readonly email: string | null | undefined;
  readonly role: 'CUSTOMER' | 'SELLER' | 'ADMIN';
}

interface StoredSession {
  readonly accessToken: string;
  /** When the access token expires, on this browser's clock (its lifetime counted from receipt). */
  readonly accessTokenExpiresAtMs: number;
  readonly refreshToken: string;
  readonly user: SessionUser;
}

export type SessionState =
  | { readonly status: 'signedIn'; readonly user: SessionUser }
  | { readonly status: 'signedOut'; readonly reason?: 'ended' | 'loggedOut' };

const STORAGE_KEY = 'radiata.session';
const LOCK_NAME = 'radiata.session.refresh';
/** Refresh this long before the access token expires. */
const REFRESH_AHEAD_MS = 60_000;
/** After a refresh that failed for want of a network, try again this much later. */
const RETRY_MS = 10_000;

/** What every sign-in answer (logIn, signUp, refreshToken) gives the session (IssuedTokens). */
export const IssuedTokensFields = graphql(`
  fragment IssuedTokens on AuthPayload {
    accessToken
    refreshToken
    user {
      id
      name
      email
      role
    }
  }
`);

const RefreshTokenMutation = graphql(`
  mutation RefreshToken($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      ...IssuedTokens
    }
  }
`);

const LogOutMutation = graphql(`
  mutation LogOut($refreshToken: String!) {
    logOut(refreshToken: $refreshToken)
  }
`);

/** The fields of a log-in, sign-up or refresh answer the session keeps. */
export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly user: SessionUser;
}

// Token calls go without any access token, through a client of their own.
const tokenClient = new Client({ url: gatewayUrl, exchanges: [fetchExchange], preferGetMethod: false });

/** The access token's lifetime in ms, from its own claims (server time on both ends: no clock skew). */
function lifetimeMs(accessToken: string): number {
  try {
    const payload = accessToken.split('.')[1] ?? '';
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { iat?: unknown; exp?: unknown };
    if (typeof claims.iat === 'number' && typeof claims.exp === 'number') {
      return Math.max(0, (claims.exp - claims.iat) * 1000);
    }
  } catch {
    // Not a JWT we can read: fall back to the documented lifetime.
  }
  return 15 * 60_000;
}

function read(): StoredSession | undefined {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof value.accessToken !== 'string' || typeof value.refreshToken !== 'string' || !value.user)
      return undefined;
    return value as StoredSession;
  } catch {
    return undefined;
  }
}

function write(session: StoredSession | undefined): void {
  if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else localStorage.removeItem(STORAGE_KEY);
}

const toStored = (tokens: IssuedTokens): StoredSession => ({
  accessToken: tokens.accessToken,
  accessTokenExpiresAtMs: Date.now() + lifetimeMs(tokens.accessToken),
  refreshToken: tokens.refreshToken,
  user: {
    id: tokens.user.id,
    name: tokens.user.name,
    email: tokens.user.email ?? null,
    role: tokens.user.role,
  },
});

/** Runs `task` while holding the tabs' refresh lock (alone where Web Locks are missing). */
async function withLock<T>(task: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks) return await navigator.locks.request(LOCK_NAME, task);
  return await task();
}

type Listener = () => void;

class Session {
  private current: StoredSession | undefined = read();
  private state: SessionState = this.stateOf(this.current);
  private readonly listeners = new Set<Listener>();
  private readonly refreshedListeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<string | undefined> | undefined;

  constructor() {
    window.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY && event.key !== null) return;
      // Another tab signed in, refreshed or signed out.
      this.adopt(read(), this.current && !read() ? 'loggedOut' : undefined);
    });
    this.schedule();
  }

  /** For React's useSyncExternalStore. */
  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SessionState => this.state;

  /** Called after each refresh (new access token): live connections running as the viewer reconnect. */
  onRefreshed(listener: Listener): () => void {
    this.refreshedListeners.add(listener);
    return () => this.refreshedListeners.delete(listener);
  }

  /** Starts a session from a log-in or sign-up answer. */
  start(tokens: IssuedTokens): void {
    const stored = toStored(tokens);
    write(stored);
    this.adopt(stored);
  }

  /** Updates the user's name or role as shown (after a profile change). */
  updateUser(user: Partial<SessionUser>): void {
    if (!this.current) return;
    const stored = { ...this.current, user: { ...this.current.user, ...user } };
    write(stored);
    this.adopt(stored);
  }

  /** Logs out: the server ends the session (its access tokens stop working at once), then it is forgotten here. */
  async logOut(): Promise<void> {
    const session = this.current;
    write(undefined);
    this.adopt(undefined, 'loggedOut');
    if (session) {
      // Best effort: if the gateway cannot be reached the tokens are forgotten anyway.
      await tokenClient
        .mutation(LogOutMutation, { refreshToken: session.refreshToken })
        .toPromise()
        .catch(() => undefined);
    }
  }

  /** A valid access token (refreshed first when it is about to expire), or undefined when signed out. */
  async accessToken(): Promise<string | undefined> {
    const session = this.current;
    if (!session) return undefined;
    if (session.accessTokenExpiresAtMs - Date.now() > 5_000) return session.accessToken;
    return this.refresh(session.refreshToken);
  }

  /** The gateway refused `token` (401, or a WebSocket closed 4403): refresh once unless it already changed. */
  async rejected(token: string): Promise<string | undefined> {
    const session = this.current;
    if (!session) return undefined;
    if (session.accessToken !== token) return session.accessToken;
    return this.refresh(session.refreshToken);
  }

  private refresh(refreshToken: string): Promise<string | undefined> {
    this.refreshing ??= withLock(() => this.refreshLocked(refreshToken)).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refreshLocked(refreshToken: string): Promise<string | undefined> {
    const stored = read();
    if (!stored) {
      this.adopt(undefined, 'ended');
      return undefined;
    }
    if (stored.refreshToken !== refreshToken && stored.accessTokenExpiresAtMs - Date.now() > 5_000) {
      // Another tab rotated the pair while we waited for the lock.
      this.adopt(stored);
      return stored.accessToken;
    }
    const result = await tokenClient.mutation(RefreshTokenMutation, { refreshToken: stored.refreshToken }).toPromise();
    const issued = result.data?.refreshToken;
    if (issued) {
      const next = toStored(issued);
      write(next);
      this.adopt(next);
      for (const listener of this.refreshedListeners) listener();
      return next.accessToken;
    }
    const codes = result.error?.graphQLErrors.map((error) => error.extensions?.code) ?? [];
    if (codes.includes('UNAUTHENTICATED') || codes.includes('BAD_USER_INPUT') || codes.includes('FORBIDDEN')) {
      // The session is over (logged out elsewhere, password changed, token reused): sign in again.
      write(undefined);
      this.adopt(undefined, 'ended');
      return undefined;
    }
    // No network, the gateway busy or rate limited: keep the session and try again shortly.
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(stored.refreshToken), RETRY_MS);
    return stored.accessTokenExpiresAtMs > Date.now() ? stored.accessToken : undefined;
  }

  private adopt(session: StoredSession | undefined, reason?: 'ended' | 'loggedOut'): void {
    const before = this.state;
    this.current = session;
    const after = this.stateOf(session, reason);
    const same =
      before.status === after.status &&
      (before.status === 'signedOut' ||
        (after.status === 'signedIn' && JSON.stringify(before.user) === JSON.stringify(after.user)));
    if (!same) {
      this.state = after;
      for (const listener of this.listeners) listener();
    }
    this.schedule();
  }

  private stateOf(session: StoredSession | undefined, reason?: 'ended' | 'loggedOut'): SessionState {
    if (session) return { status: 'signedIn', user: session.user };
    return reason ? { status: 'signedOut', reason } : { status: 'signedOut' };
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const session = this.current;
    if (!session) return;
    const due = Math.max(0, session.accessTokenExpiresAtMs - REFRESH_AHEAD_MS - Date.now());
    this.timer = setTimeout(() => void this.refresh(session.refreshToken), due);
  }
}

export const session = new Session();
