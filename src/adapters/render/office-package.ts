/**
 * Office Open XML files (.docx, .xlsx) are zip packages. The Excel library stamps the current
 * time into the zip entries and into docProps/core.xml, so two generations of the same document
 * would differ. This module re-packs a package with every timestamp taken from the document's own
 * date, entries in the writer's order, and a fixed compression level: same model, same bytes. The
 * Word writer (docx/render-docx.ts) writes its parts with the document's date and zips them here.
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
 * Zips the parts again with a fixed modification time. Zip entries hold a local (DOS) date and
 * fflate reads the local fields of the Date it is given, so the Date is built from the UTC
 * fields of the document date: the bytes then do not depend on the machine's time zone.
 */
export function writePackage(parts: PackageParts, isoDateTime: string): Uint8Array {
  const utc = new Date(isoDateTime);
  if (Number.isNaN(utc.getTime())) throw new RangeError(`not a valid date: "${isoDateTime}"`);
  // DOS dates start in 1980.
  const year = Math.max(1980, utc.getUTCFullYear());
  const mtime = new Date(year, utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds());
  const zippable: Zippable = {};
  // [Content_Types].xml first, as Office writes it; then the writer's order.
  const names = [...parts.keys()].sort((a, b) => Number(b === '[Content_Types].xml') - Number(a === '[Content_Types].xml'));
  for (const name of names) zippable[name] = [parts.get(name)!, { mtime, level: 6 }];
  return zipSync(zippable, { mtime, level: 6 });
}
