import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';
import type { DocumentModel } from './blocks.ts';
import { coverFacts, documentMeta } from './cover.ts';
import { buildCctpContext } from './cctp-context.ts';
import { parseMarkup } from './markup.ts';
import type { TemplateRenderer } from './templates.ts';

/** The file's CPV codes (8 digits), each lot's main code, else its lines', in order of appearance. */
function cpvCodes(tender: ResolvedTender): string[] {
  const codes = tender.lots.flatMap((lot) => (lot.cpv ? [lot.cpv.main] : lot.lines.map((l) => l.item.cpv)).map((c) => c.slice(0, 8)));
  return [...new Set(codes)];
}

/**
 * Builds the renderer-neutral CCTP: template → markup → blocks, plus cover and metadata.
 * The creation date is the consultation date, so the same request gives the same document.
 */
export function buildCctpDocument(tender: ResolvedTender, _rules: RulesOutcome, engine: TemplateRenderer): DocumentModel {
  const { request, framework } = tender;
  const markup = engine.render('cctp', buildCctpContext(tender));
  const devices = tender.lots.reduce((n, lot) => n + lot.lines.reduce((m, l) => m + (l.item.nature === 'supply' ? l.quantity : 0), 0), 0);
  return {
    meta: documentMeta(tender, {
      title: `CCTP — ${request.title}`,
      subject: `Cahier des clauses techniques particulières — ${request.buyer.name}`,
      // The CPV codes first: what a buyer profile or an archive indexes the file by.
      keywords: [...cpvCodes(tender).map((code) => `CPV ${code}`), 'CCTP', 'commande publique', 'numérique éducatif', framework.reference, `${devices} équipements`],
    }),
    cover: {
      kicker: 'Cahier des clauses techniques particulières',
      title: request.title,
      facts: coverFacts(tender, { framework: true }),
      footnote: 'Document généré par Cahier à partir des critères de référence publiés. Toute marque citée s’entend « ou équivalent ».',
    },
    footerText: request.reference ? `CCTP ${request.reference}` : `CCTP — ${request.buyer.name}`,
    blocks: parseMarkup(markup),
  };
}
