import { Page } from '../components/page.tsx';

/** What someone without the role sees on a screen of another role: no controls, just why and where to go. */
export function RefusedPage(props: { audience: string }) {
  return (
    <Page title="Accès refusé">
      <p>Cette page est réservée aux {props.audience}. Votre compte n’a pas ce rôle.</p>
      <p>
        <a href="#/">Revenir à l’accueil</a>
      </p>
    </Page>
  );
}

export function NotFoundPage() {
  return (
    <Page title="Page introuvable">
      <p>Cette adresse ne correspond à aucune page de Cahier.</p>
      <p>
        <a href="#/">Revenir à l’accueil</a>
      </p>
    </Page>
  );
}
