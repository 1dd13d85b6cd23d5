import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';
import type { DocumentModel } from './blocks.ts';
import { buildCcapContext } from './ccap-context.ts';
import { coverFacts, documentMeta } from './cover.ts';
import { parseMarkup } from './markup.ts';
import type { TemplateRenderer } from './templates.ts';

/**
 * The cahier des clauses administratives particulières (CCAP): the administrative clauses of the
 * contract on the CCAG-TIC, from the same request as the CCTP, with the CCAG-TIC articles it departs
 * from in its last chapter. A bidder document: nothing of the buyer's estimate or findings.
 */
export function buildCcapDocument(tender: ResolvedTender, _rules: RulesOutcome, engine: TemplateRenderer): DocumentModel {
  const { request } = tender;
  const markup = engine.render('ccap', buildCcapContext(tender));
  return {
    meta: documentMeta(tender, {
      title: `CCAP — ${request.title}`,
      subject: `Cahier des clauses administratives particulières — ${request.buyer.name}`,
      keywords: ['CCAP', 'commande publique', 'CCAG-TIC', 'clauses administratives'],
    }),
    cover: {
      kicker: 'Cahier des clauses administratives particulières',
      title: request.title,
      facts: coverFacts(tender, { framework: false }),
      footnote: 'Marché soumis au CCAG-TIC (arrêté du 30 mars 2021) ; les dérogations sont récapitulées au dernier article.',
    },
    footerText: request.reference ? `CCAP ${request.reference}` : `CCAP — ${request.buyer.name}`,
    blocks: parseMarkup(markup),
  };
}
