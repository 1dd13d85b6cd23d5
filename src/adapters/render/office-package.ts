/**
 * Office Open XML files (.docx, .xlsx) and the DCE are zip packages. Cahier's Word and
 * SpreadsheetML writers (docx/, xlsx/) write their parts with the document's own date and zip them
 * here: every timestamp from that date, [Content_Types].xml first, then the writer's order, and a
 * fixed compression level, so the same model gives the same bytes.
 */
import { zipSync, type Zippable } from 'fflate';

export type PackageParts = Map<string, Uint8Array>;

/** "2026-10-05T00:00:00Z": the W3CDTF form Office writes in docProps/core.xml. */
export function w3cdtf(isoDateTime: string): string {
  const date = new Date(isoDateTime);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid date: "${isoDateTime}"`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** docProps/core.xml's root start tag, with the namespaces Office declares there. */
export const CORE_PROPERTIES_OPEN =
  '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">';

/** docProps/app.xml's root start tag. */
export const APP_PROPERTIES_OPEN =
  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">';

/** dcterms:created and dcterms:modified of docProps/core.xml, both the document date: never the current time. */
export function coreDates(isoDateTime: string): string {
  const stamp = w3cdtf(isoDateTime);
  return `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified>`;
}

/**
 * The Date to give fflate for a zip entry dated `isoDateTime`: zip entries hold a local (DOS)
 * date and fflate reads the local fields of the Date, so it is built from the UTC fields of the
 * document date and the bytes do not depend on the machine's time zone. DOS dates start in 1980.
 */
export function zipDate(isoDateTime: string): Date {
  const utc = new Date(isoDateTime);
  if (Number.isNaN(utc.getTime())) throw new RangeError(`not a valid date: "${isoDateTime}"`);
  const year = Math.max(1980, utc.getUTCFullYear());
  return new Date(year, utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds());
}

/**
 * Zips the parts again with a fixed modification time (zipDate), [Content_Types].xml first.
 */
export function writePackage(parts: PackageParts, isoDateTime: string): Uint8Array {
  const mtime = zipDate(isoDateTime);
  const zippable: Zippable = {};
  // [Content_Types].xml first, as Office writes it; then the writer's order.
  const names = [...parts.keys()].sort((a, b) => Number(b === '[Content_Types].xml') - Number(a === '[Content_Types].xml'));
  for (const name of names) zippable[name] = [parts.get(name)!, { mtime, level: 6 }];
  return zipSync(zippable, { mtime, level: 6 });
}
