import { Page } from '../components/page.tsx';

export function FrameworksPage(_props: Record<string, unknown>) {
  return (
    <Page title="Référentiels">
      <p>À venir.</p>
    </Page>
  );
}
