/**
 * Analyse the offers of a tender: read the bids, check them, score them with the buyer's marks,
 * and write what the buyer needs: the summary (analyse.json), the RAO of each lot (PDF and DOCX)
 * and, once the buyer gives the award details, the DECP record and the OCDS award release. Every
 * output is computed from the one analysis, so they state the same figures; same inputs, same bytes.
 */
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import type { Publication } from './ports/outputs.ts';
import { issuesFromZod, ValidationError } from '#src/core/model/errors.ts';
import type { ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { analyseOffers, type OffersAnalysis } from '#src/core/offers/analysis.ts';
import type { AwardDetails } from '#src/core/offers/award.ts';
import type { Bid } from '#src/core/offers/bid.ts';
import { buildRejectionLetters } from '#src/core/offers/letters.ts';
import { buildRaoDocument } from '#src/core/offers/rao.ts';
import { summariseAnalysis } from '#src/core/offers/summary.ts';
import { AnalysisInputSchema, type AnalysisInput } from './analysis-input.ts';

export interface AnalysisRenderers {
  pdf(model: DocumentModel): Promise<Uint8Array>;
  docx(model: DocumentModel): Promise<Uint8Array>;
  decp(analysis: OffersAnalysis, details: AwardDetails): unknown;
  /** The award release; `publication` is the stored tender, whose release's ocid it shares. */
  ocdsAward(analysis: OffersAnalysis, details: AwardDetails, publication?: Publication): unknown;
}

export interface AnalysisFile {
  name: string;
  mediaType: string;
  content: Uint8Array;
}

const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const encoder = new TextEncoder();
const json = (value: unknown) => encoder.encode(`${JSON.stringify(value, null, 2)}\n`);

/** Parses the buyer's analysis input; ValidationError with each field's path (a mark without justification: marks.3.justification). */
export function parseAnalysisInput(input: unknown): AnalysisInput {
  const parsed = AnalysisInputSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error));
  return parsed.data;
}

export async function runAnalysis(
  tender: ResolvedTender,
  bids: readonly Bid[],
  input: AnalysisInput,
  render: AnalysisRenderers,
  publication?: Publication,
): Promise<{ analysis: OffersAnalysis; files: AnalysisFile[] }> {
  const ids = new Set<string>();
  bids.forEach((b, i) => {
    if (ids.has(b.bidder.id)) throw new ValidationError([{ path: `bids.${i}.id`, message: `bid id "${b.bidder.id}" is used twice` }]);
    ids.add(b.bidder.id);
  });
  if (input.letters && input.letters.sentOn < tender.request.consultationDate) {
    throw new ValidationError([{ path: 'letters.sentOn', message: `the letters cannot be sent before the consultation is launched (${tender.request.consultationDate})` }]);
  }
  const analysis = analyseOffers(tender, bids, input);
  const files: AnalysisFile[] = [{ name: 'analyse.json', mediaType: 'application/json', content: json(summariseAnalysis(analysis)) }];
  for (const lot of analysis.lots) {
    if (lot.offers.length === 0) continue;
    const model = buildRaoDocument(analysis, lot);
    files.push({ name: `rao-lot-${lot.lot.number}.pdf`, mediaType: 'application/pdf', content: await render.pdf(model) });
    files.push({ name: `rao-lot-${lot.lot.number}.docx`, mediaType: DOCX_MEDIA_TYPE, content: await render.docx(model) });
  }
  for (const letter of input.letters ? buildRejectionLetters(analysis, input.letters) : []) {
    const name = `lettre-offre-non-retenue-lot-${letter.lot}-${letter.bid}`;
    files.push({ name: `${name}.pdf`, mediaType: 'application/pdf', content: await render.pdf(letter.model) });
    files.push({ name: `${name}.docx`, mediaType: DOCX_MEDIA_TYPE, content: await render.docx(letter.model) });
  }
  if (input.award && analysis.lots.some((l) => l.proposed)) {
    files.push({ name: 'decp.json', mediaType: 'application/json', content: json(render.decp(analysis, input.award)) });
    files.push({ name: 'award.ocds.json', mediaType: 'application/json', content: json(render.ocdsAward(analysis, input.award, publication)) });
  }
  return { analysis, files };
}
