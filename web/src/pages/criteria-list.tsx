import { Page } from '../components/page.tsx';

export function CriteriaListPage(_props: Record<string, unknown>) {
  return (
    <Page title="Critères de référence">
      <p>À venir.</p>
    </Page>
  );
}
