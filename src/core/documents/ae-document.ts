import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';
import type { Block, DocumentModel } from './blocks.ts';
import { buildAeContext } from './ae-context.ts';
import { coverFacts, documentMeta } from './cover.ts';
import { parseMarkup } from './markup.ts';
import type { TemplateRenderer } from './templates.ts';

/**
 * The acte d'engagement (AE), in the structure of the ATTRI1 form, with the bidder's fields left
 * blank: one chapter per lot, or a single lot when `lot` is given (the DCE holds one file per lot).
 */
export function buildAeDocument(tender: ResolvedTender, _rules: RulesOutcome, engine: TemplateRenderer, lot?: number): DocumentModel {
  return { ...aeFrame(tender, lot), blocks: parseMarkup(engine.render('acte-engagement', buildAeContext(tender, lot))) };
}

/**
 * The acte d'engagement of one lot cut from the document of every lot (its chapter, numbered
 * again from 1), so the DCE's per-lot files are the very text of the combined one.
 */
export function aeLotDocument(tender: ResolvedTender, all: DocumentModel, lot: number): DocumentModel {
  const chapters: Block[][] = [];
  for (const block of all.blocks) {
    if (block.type === 'heading' && block.level === 1) chapters.push([]);
    if (block.type !== 'page-break') chapters.at(-1)?.push(block);
  }
  const index = tender.lots.findIndex((l) => l.number === lot);
  const chapter = chapters[index];
  if (!chapter) throw new RangeError(`no lot ${lot}`);
  const renumber = (number: string) => ['1', ...number.split('.').slice(1)].join('.');
  const blocks = chapter.map((b): Block => (b.type === 'heading' ? { ...b, number: renumber(b.number), anchor: `sec-${renumber(b.number).replaceAll('.', '-')}` } : b));
  return { ...aeFrame(tender, lot), blocks };
}

/** Metadata, cover and footer of the acte d'engagement, of every lot or of one. */
function aeFrame(tender: ResolvedTender, lot: number | undefined): Omit<DocumentModel, 'blocks'> {
  const { request } = tender;
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
  };
}
