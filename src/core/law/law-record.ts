import * as z from 'zod';

/**
 * The law as data: each legal threshold, date, duration or obligation the rules apply, and each
 * legal text a document cites, is a record with its value, the consultation dates it governs, its
 * reference and a public source. Rules read the record in force on the consultation date; a change
 * of law is a new record (and a test on both sides of its date), never a code change.
 */

/** What a record holds: a number to compare with, or the bare existence of an obligation or a citable text. */
export const LawRecordKindSchema = z.enum(['threshold', 'ratio', 'duration', 'obligation', 'text']);
export type LawRecordKind = z.infer<typeof LawRecordKindSchema>;

/** EUR: an amount with no VAT to exclude (the 40 € recovery fee); days: calendar days. */
export const LawUnitSchema = z.enum(['EUR_HT', 'EUR', 'months', 'days', 'ratio']);
export type LawUnit = z.infer<typeof LawUnitSchema>;

const IsoDate = z.iso.date();

export const LawRecordSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*$/, 'expected a dotted lower-case id such as "no-publicity.supplies-services"')
      .max(80),
    kind: LawRecordKindSchema,
    /** French, as a finding or the README prints it. */
    title: z.string().min(3).max(200),
    value: z.number().nonnegative().nullable().describe('The number compared with, for thresholds, ratios and durations'),
    unit: LawUnitSchema.nullable(),
    from: IsoDate.describe('First consultation date the record governs (launch date of the consultation)'),
    until: IsoDate.nullable().describe('Last consultation date it governs, inclusive; null while in force'),
    reference: z.object({
      /** As printed: "CCP R2122-8", "Loi n° 2015-136 du 9 février 2015, art. 7". */
      citation: z.string().min(2).max(200),
      /** Every article or text the citation covers, one by one (ranges spelled out), as a document may print them. */
      articles: z.array(z.string().min(2).max(80)).min(1),
      /** The text that set the value or the date: "Décret n° 2025-1386 du 29 décembre 2025". */
      enactedBy: z.string().min(3).max(200).optional(),
      /** NOR of that text where there is one. */
      nor: z.string().regex(/^[A-Z]{4}\d{7}[A-Z]$/).optional(),
    }),
    source: z.url().describe('A public page stating the rule'),
    verification: z.enum(['verified', 'unverified']).describe('unverified: plausible but not confirmed in a source; never printed as law without saying so'),
    note: z.string().max(600).optional(),
  })
  .refine((r) => r.until === null || r.from <= r.until, { message: 'until precedes from', path: ['until'] })
  .refine((r) => (r.kind === 'threshold' || r.kind === 'ratio' || r.kind === 'duration') === (r.value !== null), {
    message: 'thresholds, ratios and durations carry a value; obligations and texts do not',
    path: ['value'],
  })
  .refine((r) => (r.value === null) === (r.unit === null), { message: 'a value needs a unit and a unit a value', path: ['unit'] });
export type LawRecord = z.infer<typeof LawRecordSchema>;

/**
 * The records, checked: each fits the schema, and the periods of one id never overlap (so that at
 * most one record of an id is in force on any date). Throws on the first defect.
 */
export function checkLawRecords(records: readonly unknown[]): LawRecord[] {
  const parsed = records.map((r, i) => {
    const result = LawRecordSchema.safeParse(r);
    if (!result.success) throw new Error(`law record ${i}: ${result.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return result.data;
  });
  const byId = new Map<string, LawRecord[]>();
  for (const r of parsed) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  for (const [id, list] of byId) {
    const sorted = [...list].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1]!;
      if (previous.until === null || previous.until >= sorted[i]!.from) {
        throw new Error(`law records "${id}" overlap: ${previous.from}…${previous.until ?? ''} and ${sorted[i]!.from}…`);
      }
    }
  }
  return parsed;
}

/** The record of `id` governing a consultation launched on `date` (YYYY-MM-DD), if any. */
export function recordAt(records: readonly LawRecord[], id: string, date: string): LawRecord | undefined {
  return records.find((r) => r.id === id && r.from <= date && (r.until === null || date <= r.until));
}

/** Every record in force on `date`. */
export function recordsAt(records: readonly LawRecord[], date: string): LawRecord[] {
  return records.filter((r) => r.from <= date && (r.until === null || date <= r.until));
}
