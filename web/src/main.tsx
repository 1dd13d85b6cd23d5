import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from './api.ts';
import { AppContext, type AppContextValue, type WebConfig } from './app-context.ts';
import { hostedUi, logoutUrl } from './auth.ts';
import { Alert, Loading } from './components/page.tsx';
import { FrameworksPage } from './pages/frameworks.tsx';
import { CriteriaListPage } from './pages/criteria-list.tsx';
import { CriterionPage } from './pages/criterion.tsx';
import { AuthCallbackPage } from './pages/auth-callback.tsx';
import { NotFoundPage, RefusedPage } from './pages/refused.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { TenderPage } from './pages/tender.tsx';
import { TendersPage } from './pages/tenders.tsx';
import { WizardPage } from './pages/wizard.tsx';
import { navigate, useRoute, type Route } from './router.ts';
import { isBuyer, isEditor, loadSession, saveSession, type Session } from './session.ts';
import './styles.css';

function App(props: { config: WebConfig }) {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [notice, setNotice] = useState<string | undefined>();
  const route = useRoute();

  const context = useMemo<AppContextValue>(() => {
    let current = session;
    const signOut = (reason?: string) => {
      current = undefined;
      saveSession(undefined);
      setSession(undefined);
      setNotice(reason);
    };
    return {
      config: props.config,
      session,
      api: createApi(props.config.apiUrl, () => current?.token, () => signOut('Votre session a expiré : reconnectez-vous.')),
      signIn(next) {
        saveSession(next);
        setNotice(undefined);
        setSession(next);
        navigate(isBuyer(next) ? '/cctp' : isEditor(next) ? '/editeur/criteres' : '/');
      },
      signOut,
    };
  }, [session, props.config]);

  // The token's expiry signs out, as a 401 does (API Gateway would refuse it from then on).
  useEffect(() => {
    if (session?.expiresAt === undefined) return;
    const signOutOnExpiry = () => context.signOut('Votre session a expiré : reconnectez-vous.');
    const left = session.expiresAt * 1000 - Date.now();
    if (left <= 0) {
      signOutOnExpiry();
      return;
    }
    // setTimeout holds at most 2^31-1 ms; a token living longer is checked again then.
    const timer = setTimeout(signOutOnExpiry, Math.min(left, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [session, context]);

  const ui = hostedUi(props.config.auth);
  const hostedLogout = ui ? logoutUrl(ui) : undefined;
  const onSignOut = () => {
    if (hostedLogout) {
      // Ends the hosted UI's session too, then Cognito comes back to logout_uri.
      saveSession(undefined);
      location.assign(hostedLogout);
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
        {callback ? <AuthCallbackPage query={route.query} /> : session ? <Screen route={route} session={session} /> : <SignInPage />}
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
    links.push({ href: '#/appels', label: 'Mes appels d’offres', active: first === 'appels' });
  }
  if (isEditor(session)) {
    links.push({ href: '#/editeur/criteres', label: 'Critères de référence', active: first === 'editeur' && second === 'criteres' });
    links.push({ href: '#/editeur/referentiels', label: 'Référentiels', active: first === 'editeur' && second === 'referentiels' });
  }
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
            <span class="role"> — {[isBuyer(session) ? 'acheteur' : '', isEditor(session) ? 'éditeur' : ''].filter(Boolean).join(', ') || 'aucun rôle'}</span>
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
      return <RefusedPage audience="personnes habilitées" />;
    case 'connexion':
      return <SignInPage />;
    case 'cctp':
      return buyer ? <WizardPage step={Number(second ?? 1) || 1} /> : buyersOnly;
    case 'appels':
      if (!buyer && !editor) return buyersOnly;
      return second ? <TenderPage id={second} /> : <TendersPage />;
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
  render(<App config={config} />, root);
}

void start();
