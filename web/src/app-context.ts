import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api.ts';
import type { CognitoAuthConfig, LocalAuthConfig } from './auth.ts';
import type { Credentials } from './credentials.ts';
import type { Session } from './session.ts';

/** How the deployment tells the app where the API is and how people sign in (`/config.json`). */
export interface WebConfig {
  /** '' for the same origin. */
  apiUrl: string;
  auth: LocalAuthConfig | CognitoAuthConfig;
}

export interface AppContextValue {
  config: WebConfig;
  session: Session | undefined;
  api: ApiClient;
  credentials: Credentials;
  /** The hash route to come back to after signing in again (where the session ended), if any. */
  returnTo: string | undefined;
  /** Shows the session `credentials` opened, then goes to `returnTo` or the user's home screen. */
  signIn(session: Session, returnTo?: string): void;
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
