import type { PinnedTender, PinnedWork } from '../../src/app/pinned-work.ts';
import { formatCount } from './format.ts';

/**
 * The French texts of the stored work that keeps a framework version (publication preview),
 * agreed in number as French agrees them: singular for 0 and 1.
 */

export const TENDER_STATUS_NOTES: Record<PinnedTender['status'], string> = { ready: '', pending: ' (documents en cours de création)', failed: ' (création des documents en échec)' };

/** « Marchés enregistrés sur la version 3 : 2 »; « plus de 100 » when the list is cut. */
export function pinnedTendersHeading(work: Pick<PinnedWork, 'tenders' | 'tendersTruncated'>, version: number): string {
  const many = work.tenders.length >= 2 || work.tendersTruncated;
  const count = work.tendersTruncated ? `plus de ${work.tenders.length}` : String(work.tenders.length);
  return `${many ? 'Marchés enregistrés' : 'Marché enregistré'} sur la version ${version}\u00a0: ${count}`;
}

/** « Brouillon : 1 (1 prêt, 0 incomplet) », « Brouillon : 0 ». */
export function pinnedDraftsLine(drafts: PinnedWork['drafts']): string {
  const label = `${drafts.count < 2 ? 'Brouillon' : 'Brouillons'}\u00a0: ${drafts.count}`;
  return drafts.count > 0 ? `${label} (${formatCount(drafts.ready, 'prêt', 'prêts')}, ${formatCount(drafts.incomplete, 'incomplet', 'incomplets')})` : label;
}

/** What the live region says: « 2 marchés enregistrés et 1 brouillon restent sur la version 3. » */
export function pinnedSummary(work: Pick<PinnedWork, 'tenders' | 'tendersTruncated' | 'drafts'>, version: number): string {
  if (work.tenders.length === 0 && work.drafts.count === 0) return `Aucun marché enregistré ni brouillon sur la version ${version}.`;
  const tenders = formatCount(work.tenders.length, 'marché enregistré', 'marchés enregistrés');
  const staying = work.tenders.length + work.drafts.count < 2 && !work.tendersTruncated ? 'reste' : 'restent';
  return `${work.tendersTruncated ? `Plus de ${tenders}` : tenders} et ${formatCount(work.drafts.count, 'brouillon', 'brouillons')} ${staying} sur la version ${version}.`;
}
