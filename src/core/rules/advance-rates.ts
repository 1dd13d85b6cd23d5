/**
 * The advance rates a buyer chooses must reach the minimum of R2191-7 in force on the consultation
 * date: the general one, and for the State the higher one when the holder is an SME. Checked when a
 * new request is parsed (parseTenderRequest), not by the request schema itself, so that the law
 * records stay out of the functions that only read stored requests (gc, drafts), and a tender
 * stored under an earlier rule still reads. A draft is not checked: legal checks are for
 * POST /tenders/validate.
 */
import { advanceSmeMinimumRate, lawAt } from '#src/core/law/law.ts';
import type { Issue } from '#src/core/model/errors.ts';
import type { TenderRequestV2 } from '#src/core/model/tender-request-v2.ts';

export function advanceRateIssues(request: TenderRequestV2): Issue[] {
  const advance = request.administrative?.advance;
  if (advance === undefined) return [];
  const issues: Issue[] = [];
  const date = request.consultationDate;
  const general = lawAt('advance.minimum-rate', date)?.value ?? undefined;
  const sme = advanceSmeMinimumRate(request.buyer.type, date)?.value ?? undefined;
  const below = (rate: number | undefined, minimum: number | undefined) => rate !== undefined && minimum !== undefined && rate < minimum * 100 - 1e-9;
  const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10} %`;
  if (below(advance.ratePercent, general)) {
    issues.push({ path: 'administrative.advance.ratePercent', message: `the advance is at least ${percent(general!)} (R2191-7) for a consultation launched on ${date}` });
  }
  const smeFloor = Math.max(general ?? 0, sme ?? 0);
  if (below(advance.smeRatePercent, smeFloor)) {
    issues.push({ path: 'administrative.advance.smeRatePercent', message: `the advance to an SME is at least ${percent(smeFloor)} (R2191-7) for this buyer and a consultation launched on ${date}` });
  }
  return issues;
}
