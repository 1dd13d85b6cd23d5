import { formatDate } from '#src/core/model/format.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';
import type { DocumentModel } from './blocks.ts';
import { buildCctpContext } from './cctp-context.ts';
import { BUYER_TYPE_LABELS, PROCEDURE_LABELS } from './labels.ts';
import { parseMarkup } from './markup.ts';
import type { TemplateRenderer } from './templates.ts';

/**
 * Builds the renderer-neutral CCTP: template → markup → blocks, plus cover and metadata.
 * The creation date is the consultation date, so the same request gives the same document.
 */
export function buildCctpDocument(tender: ResolvedTender, rules: RulesOutcome, engine: TemplateRenderer): DocumentModel {
  const { request, framework } = tender;
  const markup = engine.render('cctp', buildCctpContext(tender, rules));
  const devices = tender.lots.reduce((n, lot) => n + lot.lines.reduce((m, l) => m + (l.item.nature === 'supply' ? l.quantity : 0), 0), 0);
  const facts = [
    { label: 'Acheteur', value: `${request.buyer.name} (${BUYER_TYPE_LABELS[request.buyer.type]})` },
    { label: 'Procédure', value: PROCEDURE_LABELS[request.procedure].replace(/ \(.*\)$/, '') },
    { label: 'Lots', value: tender.lots.map((l) => `${l.number}. ${l.title}`).join(' · ') },
    { label: 'Référentiel', value: `${framework.title}, version ${framework.version}` },
    { label: 'Date de lancement', value: formatDate(request.consultationDate) },
  ];
  if (request.reference) facts.unshift({ label: 'Référence', value: request.reference });
  return {
    meta: {
      title: `CCTP — ${request.title}`,
      subject: `Cahier des clauses techniques particulières — ${request.buyer.name}`,
      author: request.buyer.name,
      keywords: ['CCTP', 'commande publique', 'numérique éducatif', framework.reference, `${devices} équipements`],
      language: 'fr-FR',
      createdAt: `${request.consultationDate}T00:00:00.000Z`,
    },
    cover: {
      kicker: 'Cahier des clauses techniques particulières',
      title: request.title,
      facts,
      footnote: 'Document généré par Cahier à partir des critères de référence publiés. Toute marque citée s’entend « ou équivalent ».',
    },
    footerText: request.reference ? `CCTP ${request.reference}` : `CCTP — ${request.buyer.name}`,
    blocks: parseMarkup(markup),
  };
}
