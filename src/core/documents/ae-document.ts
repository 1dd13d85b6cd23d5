import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';
import type { DocumentModel } from './blocks.ts';
import { buildAeContext } from './ae-context.ts';
import { coverFacts, documentMeta } from './cover.ts';
import { parseMarkup } from './markup.ts';
import type { TemplateRenderer } from './templates.ts';

/**
 * The acte d'engagement (AE), in the structure of the ATTRI1 form, with the bidder's fields left
 * blank: one chapter per lot, or a single lot when `lot` is given (the DCE holds one file per lot).
 */
export function buildAeDocument(tender: ResolvedTender, _rules: RulesOutcome, engine: TemplateRenderer, lot?: number): DocumentModel {
  const { request } = tender;
  const context = buildAeContext(tender, lot);
  const lotLabel = lot === undefined || tender.lots.length === 1 ? '' : ` — lot ${lot}`;
  return {
    meta: documentMeta(tender, {
      title: `Acte d’engagement${lotLabel} — ${request.title}`,
      subject: `Acte d’engagement (ATTRI1)${lotLabel} — ${request.buyer.name}`,
      keywords: ['acte d’engagement', 'ATTRI1', 'commande publique'],
    }),
    cover: {
      kicker: `Acte d’engagement${lotLabel}`,
      title: request.title,
      facts: coverFacts(tender, { framework: false }).filter((f) => lot === undefined || f.label !== 'Lots'),
      footnote: 'Établi selon la structure du formulaire ATTRI1. Les rubriques en pointillés sont complétées et signées par le candidat.',
    },
    footerText: `${request.reference ? `AE ${request.reference}` : `AE — ${request.buyer.name}`}${lotLabel}`,
    blocks: parseMarkup(engine.render('acte-engagement', context)),
  };
}
