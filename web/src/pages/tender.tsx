import { Page } from '../components/page.tsx';

export function TenderPage(_props: Record<string, unknown>) {
  return (
    <Page title="Appel d’offres">
      <p>À venir.</p>
    </Page>
  );
}
