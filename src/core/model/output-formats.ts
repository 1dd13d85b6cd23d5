/**
 * Which documents to generate: `pdf` the CCTP (cctp.pdf), `rc` the RC extract (rc-extrait.pdf),
 * `docx` the CCTP in Word (cctp.docx), `xlsx` the compliance matrix and the price schedule
 * (cadre-de-reponse.xlsx, bordereau-des-prix.xlsx), `json` the OCDS release (tender.ocds.json).
 * A module of its own (no imports) so that the record schema can name them without pulling in
 * the generation code.
 */
export const OUTPUT_FORMATS = ['pdf', 'rc', 'docx', 'xlsx', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const DEFAULT_FORMATS: readonly OutputFormat[] = ['pdf'];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** The formats in their canonical order (that of OUTPUT_FORMATS), each once. */
export function canonicalFormats(formats: readonly OutputFormat[]): OutputFormat[] {
  return OUTPUT_FORMATS.filter((f) => formats.includes(f));
}
