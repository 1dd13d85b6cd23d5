import { Page } from '../components/page.tsx';

export function CriterionPage(_props: Record<string, unknown>) {
  return (
    <Page title="Critère">
      <p>À venir.</p>
    </Page>
  );
}
