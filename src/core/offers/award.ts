/**
 * What the award data needs beyond the tender and the analysis, as the buyer states it once the
 * contract is signed: its own SIRET, the notification and publication dates, the place of
 * performance, the CCAG its CCAP refers to, advance and subcontracting, and per lot the contract
 * number it publishes under (DECP: 1 to 16 characters).
 */
import * as z from 'zod';
import { CCAG_NAMES, PLACE_TYPE_CODES } from './award-codes.ts';
import { SiretSchema } from './bid.ts';

export { CCAG_NAMES, PLACE_TYPE_CODES };

export const AwardDetailsSchema = z.strictObject({
  buyerSiret: SiretSchema.describe('SIRET of the buyer, as DECP identifies it'),
  notificationDate: z.iso.date().describe('Date the contract was notified to the holder'),
  publicationDate: z.iso.date().describe('Date the essential data are first published'),
  placeOfPerformance: z.strictObject({
    code: z.string().regex(/^[0-9A-Z]{2,6}$/, 'expected an INSEE code or a postal code, e.g. "27" or "27000"'),
    typeCode: z.enum(PLACE_TYPE_CODES),
  }),
  ccag: z.enum(CCAG_NAMES).describe('The CCAG the contract’s CCAP refers to'),
  advance: z.strictObject({ rate: z.number().min(0).max(1).describe('0.05: 5 % of the amount') }).optional().describe('Absent: no advance'),
  subcontracting: z.boolean().default(false).describe('The holder declared subcontractors at notification'),
  contractIds: z
    .record(z.string().regex(/^\d{1,2}$/), z.string().min(1).max(16).regex(/^[A-Za-z0-9_./-]+$/, 'letters, digits, "_", "-", "." or "/" (DECP avoids spaces and punctuation)'))
    .default({})
    .describe('Contract number per lot number; absent: derived from the file reference and the lot'),
});
export type AwardDetails = z.infer<typeof AwardDetailsSchema>;
