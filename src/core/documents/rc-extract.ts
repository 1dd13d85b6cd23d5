/**
 * Extract of the règlement de la consultation (RC): award criteria and weights, how price and
 * quality are scored, variants and options. Built from the same request and the same template
 * context as the CCTP, so both documents print the same criteria with the same weights, and
 * rendered by the same renderers (PDF today).
 */
import { formatDate, formatDecimal } from '#src/core/model/format.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { DocumentModel } from './blocks.ts';
import { buildCctpContext, type CctpContext } from './cctp-context.ts';
import { BUYER_TYPE_LABELS, PROCEDURE_LABELS } from './labels.ts';
import { parseMarkup } from './markup.ts';
import type { TemplateRenderer } from './templates.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';

export interface RcExtractContext extends CctpContext {
  rc: {
    hasPriceCriteria: boolean;
    /** Price and cost criteria, scored by the proportional formula on their points. */
    priceCriteria: Array<{ name: string; points: string }>;
    hasQualityCriteria: boolean;
  };
}

export function buildRcExtractContext(tender: ResolvedTender, rules: RulesOutcome): RcExtractContext {
  const priced = tender.request.awardCriteria.filter((c) => c.type === 'price' || c.type === 'cost');
  return {
    ...buildCctpContext(tender, rules),
    rc: {
      hasPriceCriteria: priced.length > 0,
      priceCriteria: priced.map((c) => ({ name: c.name, points: formatDecimal(c.weight) })),
      hasQualityCriteria: tender.request.awardCriteria.some((c) => c.type === 'quality'),
    },
  };
}

export function buildRcExtractDocument(tender: ResolvedTender, rules: RulesOutcome, engine: TemplateRenderer): DocumentModel {
  const { request, framework } = tender;
  const markup = engine.render('rc-extract', buildRcExtractContext(tender, rules));
  const facts = [
    { label: 'Acheteur', value: `${request.buyer.name} (${BUYER_TYPE_LABELS[request.buyer.type]})` },
    { label: 'Procédure', value: PROCEDURE_LABELS[request.procedure].replace(/ \(.*\)$/, '') },
    { label: 'Lots', value: tender.lots.map((l) => `${l.number}. ${l.title}`).join(' · ') },
    { label: 'Date de lancement', value: formatDate(request.consultationDate) },
  ];
  if (request.reference) facts.unshift({ label: 'Référence', value: request.reference });
  return {
    meta: {
      title: `RC (extrait) — ${request.title}`,
      subject: `Règlement de la consultation, jugement des offres — ${request.buyer.name}`,
      author: request.buyer.name,
      keywords: ['RC', 'règlement de la consultation', 'critères d’attribution', 'commande publique', framework.reference],
      language: 'fr-FR',
      createdAt: `${request.consultationDate}T00:00:00.000Z`,
    },
    cover: {
      kicker: 'Règlement de la consultation — extrait',
      title: request.title,
      facts,
      footnote: 'Extrait généré par Cahier à partir de la même sélection que le CCTP : critères, pondérations, variantes et options y sont identiques.',
    },
    footerText: request.reference ? `RC ${request.reference}` : `RC — ${request.buyer.name}`,
    blocks: parseMarkup(markup),
  };
}
