/**
 * What the buyer sends with the bids: the marks, the abnormally-low settings, the award details once
 * known, and the sending date of the letters to the bidders not retained once the award is decided.
 * Apart from the analysis (analyse-offers.ts) so that the schema, which the OpenAPI document
 * publishes, comes without the renderers and the law records the analysis runs with.
 */
import type * as z from 'zod';
import { AwardDetailsSchema } from '#src/core/offers/award.ts';
import { LettersSettingsSchema } from '#src/core/offers/letters-settings.ts';
import { MarksFileSchema } from '#src/core/offers/scoring.ts';

export const AnalysisInputSchema = MarksFileSchema.extend({ award: AwardDetailsSchema.optional(), letters: LettersSettingsSchema.optional() });
export type AnalysisInput = z.infer<typeof AnalysisInputSchema>;
