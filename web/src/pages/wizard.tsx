import { Page } from '../components/page.tsx';

export function WizardPage(_props: Record<string, unknown>) {
  return (
    <Page title="Nouveau CCTP">
      <p>À venir.</p>
    </Page>
  );
}
