import * as z from 'zod';
import { SlugSchema } from '#src/core/model/catalogue.ts';

/** Query parameters of the catalogue reads: apart from schemas.ts (whose tender views carry the request schemas), so that catalogue-read stays small. */
export const VersionQuerySchema = z.object({
  version: z.coerce.number().int().positive().max(9_999_999_999).optional().describe('A given version instead of the latest'),
});

/** GET /offers: every offer at its latest version, or the offer versions a framework version pins. */
export const OffersQuerySchema = z
  .strictObject({
    framework: SlugSchema.optional().describe('The offers this framework pins (its latest version, or `version`), as a generation on it reads them'),
    version: VersionQuerySchema.shape.version,
  })
  .refine((q) => q.version === undefined || q.framework !== undefined, { message: 'give the framework whose version this is', path: ['version'] });
