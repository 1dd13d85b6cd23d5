import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api.ts';
import type { CognitoAuthConfig } from './auth.ts';
import type { Session } from './session.ts';

/** How the deployment tells the app where the API is and how people sign in (`/config.json`). */
export interface WebConfig {
  /** '' for the same origin. */
  apiUrl: string;
  auth: { kind: 'local' } | CognitoAuthConfig;
}

export interface AppContextValue {
  config: WebConfig;
  session: Session | undefined;
  api: ApiClient;
  signIn(session: Session): void;
  signOut(reason?: string): void;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('AppContext missing');
  return value;
}

/** Pages below the sign-in guard: the session is there. */
export function useSession(): NonNullable<AppContextValue['session']> {
  const { session } = useApp();
  if (!session) throw new Error('no session');
  return session;
}
