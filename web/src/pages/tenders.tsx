import { Page } from '../components/page.tsx';

export function TendersPage(_props: Record<string, unknown>) {
  return (
    <Page title="Mes appels d’offres">
      <p>À venir.</p>
    </Page>
  );
}
