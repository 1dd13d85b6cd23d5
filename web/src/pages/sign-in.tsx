import { useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { TextArea } from '../components/fields.tsx';
import { Alert, Page } from '../components/page.tsx';
import { beginSignIn, hostedUi } from '../auth.ts';

/**
 * Sign-in. In AWS, « Se connecter » goes to the Cognito hosted UI; locally, each demonstration
 * profile goes through the local stack's authorization server the same way (code with PKCE, then
 * refresh), and a pasted token (BUYER_TOKEN or EDITOR_TOKEN from `npm start`) opens a session
 * without refresh, that ends with the token.
 */
export function SignInPage() {
  const { config, credentials, returnTo, signIn } = useApp();
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [startError, setStartError] = useState<string | undefined>();
  const ui = hostedUi(config.auth);

  const use = (token: string) => {
    const session = credentials.openWithToken(token);
    if (!session) {
      setError('Ce jeton est illisible ou expiré. Copiez-le à nouveau depuis le terminal de npm start (ou relancez-le).');
      return;
    }
    signIn(session, returnTo);
  };
  // Authorization code with PKCE: the state and verifier stay in this tab (sessionStorage), with where to come back.
  const start = (loginHint?: string) => {
    if (!ui) return;
    beginSignIn(ui, sessionStorage, { ...(loginHint ? { loginHint } : {}), ...(returnTo ? { returnTo } : {}) }).then(
      (url) => location.assign(url),
      () => setStartError('La connexion n’a pas pu démarrer dans ce navigateur.'),
    );
  };

  if (config.auth.kind === 'cognito') {
    return (
      <Page title="Connexion">
        <p>Connectez-vous avec votre compte de l’administration.</p>
        {ui ? (
          <p>
            <button type="button" onClick={() => start()}>
              Se connecter
            </button>
          </p>
        ) : (
          <Alert kind="warning">La connexion n’est pas encore ouverte pour cet environnement.</Alert>
        )}
        {startError ? <Alert kind="error">{startError}</Alert> : null}
      </Page>
    );
  }

  return (
    <Page title="Connexion" lead="Environnement local : choisissez un profil, ou collez un jeton imprimé par npm start.">
      <section aria-labelledby="profils">
        <h2 id="profils">Profils de démonstration</h2>
        <div class="choices">
          <button type="button" class="choice" onClick={() => start('buyer')}>
            <span class="choice-title">Acheteur public</span>
            <span class="choice-text">Rédiger un CCTP, suivre mes consultations</span>
          </button>
          <button type="button" class="choice" onClick={() => start('editor')}>
            <span class="choice-title">Éditeur du ministère</span>
            <span class="choice-text">Tenir à jour les critères de référence et publier les référentiels</span>
          </button>
          <button type="button" class="choice" onClick={() => start('catalogue-manager')}>
            <span class="choice-title">Gestionnaire de catalogue</span>
            <span class="choice-text">Vérifier la conformité des produits d’un catalogue au référentiel</span>
          </button>
        </div>
        {startError ? <Alert kind="error">{startError}</Alert> : null}
      </section>
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
