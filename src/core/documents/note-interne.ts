import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';
import type { DocumentModel } from './blocks.ts';
import { coverFacts, documentMeta } from './cover.ts';
import { parseMarkup } from './markup.ts';
import { buildNoteContext } from './note-context.ts';
import type { TemplateRenderer } from './templates.ts';

/** The buyer-only note (note interne): never part of the consultation file. */
export function buildNoteInterneDocument(tender: ResolvedTender, rules: RulesOutcome, engine: TemplateRenderer): DocumentModel {
  const { request } = tender;
  const markup = engine.render('note-interne', buildNoteContext(tender, rules));
  return {
    meta: documentMeta(tender, {
      title: `Note interne — ${request.title}`,
      subject: `Note interne à l’acheteur, à ne pas publier — ${request.buyer.name}`,
      keywords: ['note interne', 'cofinancement', 'analyse juridique', 'estimation'],
    }),
    cover: {
      kicker: 'Note interne à l’acheteur — ne pas publier',
      title: request.title,
      facts: coverFacts(tender, { framework: true }),
      footnote: 'Document interne : il ne fait pas partie du dossier de consultation et ne doit pas être transmis aux candidats.',
    },
    footerText: `Note interne — ne pas publier${request.reference ? ` — ${request.reference}` : ''}`,
    blocks: parseMarkup(markup),
  };
}
