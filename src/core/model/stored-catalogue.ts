import * as z from 'zod';
import { buyerTextProblem } from './tender-request.ts';

/**
 * A catalogue stored by POST /catalogues: a product file checked against one framework version,
 * kept with its conformity reports. The uploaded file is addressed by its SHA-256 (never
 * replaced, shared by every record of the same bytes); the reports live under the record's id.
 * `owner` is the caller who uploaded it: a catalogue manager sees only their own, an editor every one.
 */

export const STORED_CATALOGUE_NAME_MAX = 120;

/** The formats a stored report is kept in, as the CLI writes them (conformity.<format>). */
export const STORED_REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type StoredReportFormat = (typeof STORED_REPORT_FORMATS)[number];

/** Ids come from the id generator ([A-Za-z0-9_-], 8 to 64). */
export const StoredCatalogueIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a catalogue id is 8 to 64 letters, digits, "-" or "_"');

export const StoredCatalogueNameSchema = z
  .string()
  .trim()
  .min(1, 'give the catalogue a name')
  .max(STORED_CATALOGUE_NAME_MAX)
  .superRefine((name, ctx) => {
    const problem = buyerTextProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('A name for the catalogue (« Centrale — tablettes 2027 »)');

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
const CountSchema = z.number().int().nonnegative();

export const StoredCatalogueCountsSchema = z.strictObject({
  total: CountSchema,
  conform: CountSchema,
  'not-conform': CountSchema,
  undeclared: CountSchema,
  'needs-evidence': CountSchema,
  shareConform: z.number().min(0).max(100).describe('Share of conforming products, in percent with one decimal'),
});

export const StoredCatalogueSchema = z.strictObject({
  id: StoredCatalogueIdSchema,
  owner: z.string().min(1).max(256),
  name: StoredCatalogueNameSchema,
  framework: z.strictObject({ id: z.string().min(1).max(60), version: z.number().int().positive(), reference: z.string().max(500) }),
  file: z.strictObject({
    sha256: Sha256Schema,
    bytes: z.number().int().positive(),
    format: z.enum(['csv', 'json', 'xlsx']),
    key: z.string().min(1).max(1024),
  }),
  totals: StoredCatalogueCountsSchema,
  reports: z.array(z.strictObject({ format: z.enum(STORED_REPORT_FORMATS), key: z.string().min(1).max(1024), bytes: z.number().int().positive(), sha256: Sha256Schema })).min(1),
  createdAt: z.iso.datetime(),
});
export type StoredCatalogue = z.infer<typeof StoredCatalogueSchema>;
