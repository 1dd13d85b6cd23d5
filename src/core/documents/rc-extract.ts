/**
 * Extract of the règlement de la consultation (RC): award criteria and weights, how price and
 * quality are scored, variants and options. Built from the same request and the same template
 * context as the CCTP, so both documents print the same criteria with the same weights, and
 * rendered by the same renderers (PDF today).
 */
import { formatDecimal } from '#src/core/model/format.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { AwardCriterion } from '#src/core/model/tender-request.ts';
import type { DocumentModel } from './blocks.ts';
import { coverFacts, documentMeta } from './cover.ts';
import { buildCctpContext, type CctpContext } from './cctp-context.ts';
import { parseMarkup } from './markup.ts';
import type { TemplateRenderer } from './templates.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';

export interface RcExtractContext extends CctpContext {
  rc: {
    hasPriceCriteria: boolean;
    /** Price and cost criteria, scored by the proportional formula on their points; `lead` opens the sentence (« Lot 2 : le critère »). */
    priceCriteria: Array<{ lead: string; name: string; points: string }>;
    hasQualityCriteria: boolean;
  };
}

export function buildRcExtractContext(tender: ResolvedTender): RcExtractContext {
  const context = buildCctpContext(tender);
  const judged = context.perLotAward
    ? tender.lots.map((lot) => ({ lead: `Lot ${lot.number} : le critère`, criteria: lot.awardCriteria }))
    : [{ lead: 'Le critère', criteria: tender.request.awardCriteria }];
  const isPrice = (c: AwardCriterion) => c.type === 'price' || c.type === 'cost';
  return {
    ...context,
    rc: {
      hasPriceCriteria: judged.some((j) => j.criteria.some(isPrice)),
      priceCriteria: judged.flatMap((j) => j.criteria.filter(isPrice).map((c) => ({ lead: j.lead, name: c.name, points: formatDecimal(c.weight) }))),
      hasQualityCriteria: judged.some((j) => j.criteria.some((c) => c.type === 'quality')),
    },
  };
}

export function buildRcExtractDocument(tender: ResolvedTender, _rules: RulesOutcome, engine: TemplateRenderer): DocumentModel {
  const { request, framework } = tender;
  const markup = engine.render('rc-extract', buildRcExtractContext(tender));
  return {
    meta: documentMeta(tender, {
      title: `RC (extrait) — ${request.title}`,
      subject: `Règlement de la consultation, jugement des offres — ${request.buyer.name}`,
      keywords: ['RC', 'règlement de la consultation', 'critères d’attribution', 'commande publique', framework.reference],
    }),
    cover: {
      kicker: 'Règlement de la consultation — extrait',
      title: request.title,
      facts: coverFacts(tender, { framework: false }),
      footnote: 'Extrait généré par Cahier à partir de la même sélection que le CCTP : critères, pondérations, variantes et options y sont identiques.',
    },
    footerText: request.reference ? `RC ${request.reference}` : `RC — ${request.buyer.name}`,
    blocks: parseMarkup(markup),
  };
}
