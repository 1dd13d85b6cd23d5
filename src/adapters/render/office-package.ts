/**
 * Office Open XML files (.docx, .xlsx) are zip packages. The libraries that write them stamp the
 * current time into the zip entries and into docProps/core.xml, so two generations of the same
 * document differ. This module re-packs a package with every timestamp taken from the document's
 * own date, entries in the library's order, and a fixed compression level: same model, same bytes.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';

export type PackageParts = Map<string, Uint8Array>;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function readPackage(bytes: Uint8Array): PackageParts {
  return new Map(Object.entries(unzipSync(bytes)));
}

export function partText(parts: PackageParts, name: string): string {
  const part = parts.get(name);
  if (!part) throw new Error(`package part ${name} is missing`);
  return decoder.decode(part);
}

export function setPartText(parts: PackageParts, name: string, text: string): void {
  parts.set(name, encoder.encode(text));
}

/** "2026-10-05T00:00:00Z": the W3CDTF form Office writes in docProps/core.xml. */
export function w3cdtf(isoDateTime: string): string {
  const date = new Date(isoDateTime);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid date: "${isoDateTime}"`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Rewrites dcterms:created and dcterms:modified of docProps/core.xml to one fixed date. */
export function fixCoreDates(parts: PackageParts, isoDateTime: string): void {
  const stamp = w3cdtf(isoDateTime);
  const core = partText(parts, 'docProps/core.xml').replace(
    /<(dcterms:(?:created|modified))([^>]*)>[^<]*<\/\1>/g,
    (_all, tag: string, attributes: string) => `<${tag}${attributes}>${stamp}</${tag}>`,
  );
  setPartText(parts, 'docProps/core.xml', core);
}

/**
 * Declares the document's language (BCP 47, « fr-FR ») in docProps/core.xml as dc:language, which
 * the library does not write: file managers, indexers and accessibility checkers read it there.
 */
export function setCoreLanguage(parts: PackageParts, language: string): void {
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) throw new RangeError(`not a language tag: "${language}"`);
  const core = partText(parts, 'docProps/core.xml');
  if (core.includes('<dc:language>')) throw new Error('docProps/core.xml already declares its language');
  setPartText(parts, 'docProps/core.xml', core.replace('</cp:coreProperties>', `<dc:language>${language}</dc:language></cp:coreProperties>`));
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
  // [Content_Types].xml first, as Office writes it; then the library's order.
  const names = [...parts.keys()].sort((a, b) => Number(b === '[Content_Types].xml') - Number(a === '[Content_Types].xml'));
  for (const name of names) zippable[name] = [parts.get(name)!, { mtime, level: 6 }];
  return zipSync(zippable, { mtime, level: 6 });
}
