import { useSyncExternalStore } from 'react';
import { type SessionState, type SessionUser, session } from './session';

/** The session as React sees it: re-renders on log-in, log-out and role or name changes. */
export const useSession = (): SessionState => useSyncExternalStore(session.subscribe, session.getSnapshot);

/** The signed-in user, or undefined. */
export function useUser(): SessionUser | undefined {
  const state = useSession();
  return state.status === 'signedIn' ? state.user : undefined;
}
