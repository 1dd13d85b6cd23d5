import * as z from 'zod';

/** Query parameters of the catalogue reads: apart from schemas.ts (whose tender views carry the request schemas), so that catalogue-read stays small. */
export const VersionQuerySchema = z.object({
  version: z.coerce.number().int().positive().max(9_999_999_999).optional().describe('A given version instead of the latest'),
});
