import * as z from 'zod';

/**
 * Who buys. Apart from the request schema (tender-request.ts re-exports it) so that the funding
 * programmes, which the editors' functions load, do not pull the whole request schema into their
 * bundles.
 */
export const BuyerTypeSchema = z.enum([
  'municipality',
  'intercommunal',
  'department',
  'region',
  'school',
  'central-state',
  'central-purchasing-body',
  'other',
]);
export type BuyerType = z.infer<typeof BuyerTypeSchema>;
