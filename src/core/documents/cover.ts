import { formatDate } from '#src/core/model/format.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { CoverPage, DocumentMeta } from './blocks.ts';
import { PROCEDURE_LABELS } from './labels.ts';

/**
 * The facts a cover page states about the consultation, the same in every document of a tender:
 * reference, buyer, procedure, lots, launch date; `framework` adds the reference framework.
 */
export function coverFacts(tender: ResolvedTender, options: { framework: boolean }): CoverPage['facts'] {
  const { request, framework } = tender;
  return [
    ...(request.reference ? [{ label: 'Référence', value: request.reference }] : []),
    { label: 'Acheteur', value: request.buyer.name },
    { label: 'Procédure', value: PROCEDURE_LABELS[request.procedure].replace(/ \(.*\)$/, '') },
    { label: 'Lots', value: tender.lots.map((l) => `${l.number}. ${l.title}`).join(' · ') },
    ...(options.framework ? [{ label: 'Référentiel', value: `${framework.title}, version ${framework.version}` }] : []),
    { label: 'Date de lancement', value: formatDate(request.consultationDate) },
  ];
}

/** Document metadata: written by the buyer, in French, dated by the consultation so output is reproducible. */
export function documentMeta(tender: ResolvedTender, text: Pick<DocumentMeta, 'title' | 'subject' | 'keywords'>): DocumentMeta {
  const { request } = tender;
  return { ...text, author: request.buyer.name, language: 'fr-FR', createdAt: `${request.consultationDate}T00:00:00.000Z` };
}
