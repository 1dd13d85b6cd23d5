import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Alert, Loading, Page } from '../components/page.tsx';

/**
 * The « Analyse des offres » page, loaded on first visit: few sessions open it, so its code is a
 * separate chunk rather than part of the bundle every screen downloads.
 */
export function OffersRoute(props: { id: string }) {
  const [page, setPage] = useState<{ component: FunctionComponent<{ id: string }> } | 'failed' | undefined>();
  useEffect(() => {
    import('./offers.tsx').then(
      (m) => setPage({ component: m.OffersPage }),
      () => setPage('failed'),
    );
  }, []);
  if (page === 'failed') {
    return (
      <Page title="Analyse des offres">
        <Alert kind="error">La page n’a pas pu être chargée. Vérifiez votre connexion, puis rechargez la page.</Alert>
      </Page>
    );
  }
  if (!page) return <Loading />;
  const OffersPage = page.component;
  return <OffersPage id={props.id} />;
}
