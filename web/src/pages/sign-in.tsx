import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { TextArea } from '../components/fields.tsx';
import { Alert, Page } from '../components/page.tsx';
import { beginSignIn, hostedUi } from '../auth.ts';
import { sessionFromToken } from '../session.ts';

/**
 * Local sign-in: pick the buyer or editor token that `npm start` printed (served at
 * /local/tokens by the local stack only), or paste any token. In AWS the Cognito hosted
 * login takes this place.
 */
export function SignInPage() {
  const { config, signIn } = useApp();
  const [tokens, setTokens] = useState<{ buyer: string; editor: string } | undefined>();
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    if (config.auth.kind !== 'local') return;
    fetch(`${config.apiUrl}/local/tokens`, { cache: 'no-store' })
      .then((r) => (r.ok ? (r.json() as Promise<{ buyer: string; editor: string }>) : undefined))
      .then(setTokens, () => setTokens(undefined));
  }, [config]);

  const use = (token: string) => {
    const session = sessionFromToken(token);
    if (!session) {
      setError('Ce jeton est illisible ou expiré. Copiez-le à nouveau depuis le terminal de npm start (ou relancez-le).');
      return;
    }
    signIn(session);
  };

  if (config.auth.kind === 'cognito') {
    const ui = hostedUi(config.auth);
    return (
      <Page title="Connexion">
        <p>Connectez-vous avec votre compte de l’administration.</p>
        {ui ? (
          <p>
            <button
              type="button"
              onClick={() => {
                // Authorization code with PKCE: the state and verifier stay in this tab (sessionStorage).
                beginSignIn(ui, sessionStorage).then(
                  (url) => location.assign(url),
                  () => setError('La connexion n’a pas pu démarrer dans ce navigateur.'),
                );
              }}
            >
              Se connecter
            </button>
          </p>
        ) : (
          <Alert kind="warning">La connexion n’est pas encore ouverte pour cet environnement.</Alert>
        )}
        {error ? <Alert kind="error">{error}</Alert> : null}
      </Page>
    );
  }

  return (
    <Page title="Connexion" lead="Environnement local : choisissez un profil, ou collez un jeton imprimé par npm start.">
      {tokens ? (
        <section aria-labelledby="profils">
          <h2 id="profils">Profils de démonstration</h2>
          <div class="choices">
            <button type="button" class="choice" onClick={() => use(tokens.buyer)}>
              <span class="choice-title">Acheteur public</span>
              <span class="choice-text">Rédiger un CCTP, suivre mes appels d’offres</span>
            </button>
            <button type="button" class="choice" onClick={() => use(tokens.editor)}>
              <span class="choice-title">Éditeur du ministère</span>
              <span class="choice-text">Tenir à jour les critères de référence et publier les référentiels</span>
            </button>
          </div>
        </section>
      ) : null}
      <section aria-labelledby="jeton">
        <h2 id="jeton">Se connecter avec un jeton</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            use(pasted);
          }}
        >
          <TextArea
            id="token"
            label="Jeton d’accès"
            hint="La valeur de BUYER_TOKEN ou EDITOR_TOKEN (fichier .data/tokens.env)."
            value={pasted}
            onInput={(v) => {
              setPasted(v);
              setError(undefined);
            }}
            rows={4}
            error={error}
          />
          <button type="submit">Se connecter</button>
        </form>
        {error ? <Alert kind="error">{error}</Alert> : null}
      </section>
    </Page>
  );
}
