import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { completeSignIn, hostedUi, SignInError } from '../auth.ts';
import { Alert, Loading, Page } from '../components/page.tsx';

const MESSAGES: Record<SignInError['reason'], string> = {
  state: 'Cette réponse de connexion ne correspond pas à une connexion commencée dans cet onglet. Reconnectez-vous.',
  refused: 'La connexion a été refusée ou annulée.',
  invalid: 'La réponse de connexion est incomplète. Reconnectez-vous.',
  rejected: 'Ce code de connexion a expiré ou a déjà servi. Reconnectez-vous.',
  token: 'La connexion n’a pas pu être finalisée. Réessayez dans un instant.',
};

/**
 * `#/auth/callback?code=…&state=…`, where the hosted sign-in comes back (CloudFront, or the local
 * stack, turns `/auth/callback?…` into this): checks the state, exchanges the code for tokens,
 * opens the session and goes back where the buyer was when the previous one ended.
 */
export function AuthCallbackPage(props: { query: URLSearchParams }) {
  const { config, credentials, signIn } = useApp();
  const [error, setError] = useState<string | undefined>();
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const ui = hostedUi(config.auth);
    if (!ui) {
      setError('La connexion par le portail d’authentification n’est pas configurée.');
      return;
    }
    // The code is single-use: leave no trace of it in the history.
    history.replaceState(null, '', `${location.pathname}${location.search}#/`);
    completeSignIn(ui, props.query, sessionStorage, fetch.bind(globalThis)).then(
      ({ tokens, returnTo }) => {
        const session = credentials.open(tokens);
        if (!session) setError(MESSAGES.token);
        else signIn(session, returnTo);
      },
      (e: unknown) => setError(e instanceof SignInError ? MESSAGES[e.reason] : MESSAGES.token),
    );
  }, [config]);

  if (!error) return <Loading label="Connexion en cours…" />;
  return (
    <Page title="Connexion">
      <Alert kind="error">{error}</Alert>
      <p>
        <a href="#/connexion">Revenir à la connexion</a>
      </p>
    </Page>
  );
}
