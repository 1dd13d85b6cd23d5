import { render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from './api.ts';
import { AppContext, type AppContextValue, type WebConfig } from './app-context.ts';
import { hostedUi, logoutUrl } from './auth.ts';
import { Alert, Loading } from './components/page.tsx';
import { CataloguesPage } from './pages/catalogues.tsx';
import { FrameworksPage } from './pages/frameworks.tsx';
import { CriteriaListPage } from './pages/criteria-list.tsx';
import { CriterionPage } from './pages/criterion.tsx';
import { AuthCallbackPage } from './pages/auth-callback.tsx';
import { OffersRoute } from './pages/offers-route.tsx';
import { NotFoundPage, RefusedPage } from './pages/refused.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { TenderPage } from './pages/tender.tsx';
import { TendersPage } from './pages/tenders.tsx';
import { DraftsPage } from './pages/drafts.tsx';
import { WizardPage } from './pages/wizard.tsx';
import { navigate, useRoute, type Route } from './router.ts';
import { Credentials } from './credentials.ts';
import { isBuyer, isCatalogueManager, isEditor, type Session } from './session.ts';
import './styles.css';

/** Shown when the session could not be renewed: the draft is in this browser, and signing in again comes back here. */
const EXPIRED_NOTICE = 'Votre session a expiré. Reconnectez-vous\u00a0: votre brouillon est conservé dans ce navigateur et vous reviendrez où vous en étiez.';

/** The current hash route (`/cctp/3`), the place to come back to after signing in again. */
function currentRoute(): string | undefined {
  const route = location.hash.replace(/^#/, '');
  return route.startsWith('/') && !route.startsWith('/auth/') && !route.startsWith('/connexion') ? route : undefined;
}

function App(props: { config: WebConfig; credentials: Credentials }) {
  const { credentials, config } = props;
  const [session, setSession] = useState<Session | undefined>();
  const [resuming, setResuming] = useState(() => credentials.canResume());
  const [notice, setNotice] = useState<string | undefined>();
  const [returnTo, setReturnTo] = useState<string | undefined>();
  const route = useRoute();

  const ended = useCallback(() => {
    setReturnTo(currentRoute());
    setSession(undefined);
    setNotice(EXPIRED_NOTICE);
  }, []);
  useEffect(() => {
    credentials.onEnded(ended);
    return () => credentials.onEnded(undefined);
  }, [credentials, ended]);

  // After a reload: the refresh token kept in this tab gets a new access token.
  useEffect(() => {
    if (!resuming) return;
    credentials.resume().then((outcome) => {
      if (outcome.kind === 'resumed') setSession(outcome.session);
      else {
        setReturnTo(currentRoute());
        setNotice(outcome.kind === 'ended' ? EXPIRED_NOTICE : 'La session n’a pas pu être reprise\u00a0: vérifiez votre connexion, puis rechargez la page ou reconnectez-vous.');
      }
      setResuming(false);
    });
  }, []);

  // The API client does not change when a token is renewed: pages keep their state and the focus.
  // A token refused again just after its renewal (the user was disabled, a key rotated) ends the
  // session as an expiry does, and forgets the tokens the API no longer takes.
  const api = useMemo(
    () =>
      createApi(config.apiUrl, credentials, () => {
        void credentials.close();
        ended();
      }),
    [config, credentials, ended],
  );
  const context = useMemo<AppContextValue>(
    () => ({
      config,
      session,
      api,
      credentials,
      returnTo,
      signIn(next, back) {
        setNotice(undefined);
        setReturnTo(undefined);
        setSession(next);
        navigate(back ?? (isBuyer(next) ? '/cctp' : isEditor(next) ? '/editeur/criteres' : isCatalogueManager(next) ? '/catalogues' : '/'));
      },
      signOut(reason) {
        void credentials.close();
        setSession(undefined);
        setReturnTo(undefined);
        setNotice(reason);
      },
    }),
    [config, session, api, credentials, returnTo],
  );

  const ui = hostedUi(config.auth);
  const hostedLogout = ui ? logoutUrl(ui) : undefined;
  const onSignOut = () => {
    if (hostedLogout) {
      // Revokes the refresh token, then ends the hosted UI's session too; Cognito comes back to logout_uri.
      void credentials.close().finally(() => location.assign(hostedLogout));
      return;
    }
    context.signOut('Vous êtes déconnecté.');
  };
  const callback = route.segments[0] === 'auth' && route.segments[1] === 'callback';

  return (
    <AppContext.Provider value={context}>
      <a
        class="skip-link"
        href="#contenu"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('contenu')?.focus();
        }}
      >
        Aller au contenu
      </a>
      <Header session={session} route={route} onSignOut={onSignOut} />
      <main id="contenu" tabIndex={-1}>
        {notice ? (
          <div class="page">
            <Alert kind="info" live>
              {notice}
            </Alert>
          </div>
        ) : null}
        {callback ? (
          <AuthCallbackPage query={route.query} />
        ) : resuming ? (
          <Loading label="Reprise de la session…" />
        ) : session ? (
          <Screen route={route} session={session} />
        ) : (
          <SignInPage />
        )}
      </main>
      <footer class="site-footer">
        <p>Cahier — rédaction des CCTP de l’équipement numérique éducatif à partir des critères de référence du ministère.</p>
      </footer>
    </AppContext.Provider>
  );
}

function Header(props: { session: Session | undefined; route: Route; onSignOut: () => void }) {
  const { session } = props;
  const first = props.route.segments[0] ?? '';
  const second = props.route.segments[1] ?? '';
  const links: Array<{ href: string; label: string; active: boolean }> = [];
  if (isBuyer(session)) {
    links.push({ href: '#/cctp', label: 'Nouveau CCTP', active: first === 'cctp' });
    links.push({ href: '#/brouillons', label: 'Mes brouillons', active: first === 'brouillons' });
    links.push({ href: '#/appels', label: 'Mes consultations', active: first === 'appels' });
  }
  if (isEditor(session)) {
    links.push({ href: '#/editeur/criteres', label: 'Critères de référence', active: first === 'editeur' && second === 'criteres' });
    links.push({ href: '#/editeur/referentiels', label: 'Référentiels', active: first === 'editeur' && second === 'referentiels' });
  }
  if (isEditor(session) || isCatalogueManager(session)) links.push({ href: '#/catalogues', label: 'Catalogues', active: first === 'catalogues' });
  return (
    <header class="site-header">
      <div class="brand">
        <a href="#/" class="brand-name">
          Cahier
        </a>
        <span class="brand-tagline">CCTP de l’équipement numérique éducatif</span>
      </div>
      {session ? (
        <nav aria-label="Menu principal">
          <ul>
            {links.map((l) => (
              <li key={l.href}>
                <a href={l.href} aria-current={l.active ? 'page' : undefined}>
                  {l.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {session ? (
        <div class="user">
          <span>
            {session.label}
            <span class="role"> — {[isBuyer(session) ? 'acheteur' : '', isEditor(session) ? 'éditeur' : '', isCatalogueManager(session) ? 'gestionnaire de catalogue' : ''].filter(Boolean).join(', ') || 'aucun rôle'}</span>
          </span>
          <button type="button" class="button-secondary button-small" onClick={props.onSignOut}>
            Se déconnecter
          </button>
        </div>
      ) : null}
    </header>
  );
}

function Screen(props: { route: Route; session: Session }) {
  const { route, session } = props;
  const [first = '', second, third] = route.segments;
  const buyer = isBuyer(session);
  const editor = isEditor(session);
  const buyersOnly = <RefusedPage audience="acheteurs" />;
  const editorsOnly = <RefusedPage audience="éditeurs" />;
  switch (first) {
    case '':
      if (buyer) return <WizardPage step={1} />;
      if (editor) return <CriteriaListPage query={route.query} />;
      if (isCatalogueManager(session)) return <CataloguesPage />;
      return <RefusedPage audience="personnes habilitées" />;
    case 'connexion':
      return <SignInPage />;
    case 'cctp':
      return buyer ? <WizardPage step={Number(second ?? 1) || 1} /> : buyersOnly;
    case 'brouillons':
      return buyer ? <DraftsPage /> : buyersOnly;
    case 'appels':
      if (!buyer && !editor) return buyersOnly;
      if (second && third === 'offres') return buyer ? <OffersRoute id={second} /> : buyersOnly;
      return second ? <TenderPage id={second} /> : <TendersPage />;
    case 'catalogues':
      return editor || isCatalogueManager(session) ? <CataloguesPage /> : <RefusedPage audience="gestionnaires de catalogue" />;
    case 'editeur':
      if (!editor) return editorsOnly;
      if (second === 'criteres') return third ? <CriterionPage id={third} query={route.query} /> : <CriteriaListPage query={route.query} />;
      if (second === 'referentiels') return <FrameworksPage />;
      return <NotFoundPage />;
    default:
      return <NotFoundPage />;
  }
}

async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  render(<Loading label="Chargement de Cahier…" />, root);
  let config: WebConfig;
  try {
    const response = await fetch('./config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(String(response.status));
    config = (await response.json()) as WebConfig;
  } catch {
    render(
      <main id="contenu" class="page">
        <h1>Cahier est indisponible</h1>
        <p>La configuration de l’application n’a pas pu être chargée. Réessayez dans un instant.</p>
      </main>,
      root,
    );
    return;
  }
  render(<App config={config} credentials={new Credentials({ ui: hostedUi(config.auth), storage: sessionStorage, fetchFn: fetch.bind(globalThis) })} />, root);
}

void start();
