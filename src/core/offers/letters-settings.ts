/**
 * The buyer's settings of the letters to the bidders not retained. Apart from the letters
 * themselves (letters.ts) so that the request schemas, the OpenAPI document among them, come
 * without the law records and the document blocks the letters are written with.
 */
import * as z from 'zod';

export const LettersSettingsSchema = z.strictObject({
  sentOn: z.iso.date().describe('Date the letters are sent to the bidders whose offer is not retained'),
  electronic: z.boolean().default(true).describe('Sent electronically (buyer profile or e-mail): standstill of 11 days; false: 16 days'),
  signatory: z.string().trim().min(2).max(200).optional().describe('Name and title of the person signing for the buyer, e.g. « Le président du conseil départemental »'),
});
export type LettersSettings = z.infer<typeof LettersSettingsSchema>;
