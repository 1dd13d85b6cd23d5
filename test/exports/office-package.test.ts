import { afterEach, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { w3cdtf, writePackage } from '#src/adapters/render/office-package.ts';
import { zipEntryTimes } from './support/office.ts';

const CORE = (created: string, modified: string) =>
  `<?xml version="1.0"?><cp:coreProperties xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="x"><dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${modified}</dcterms:modified></cp:coreProperties>`;

const encoder = new TextEncoder();

function samplePackage() {
  return new Map<string, Uint8Array>([
    ['word/document.xml', encoder.encode('<w:document/>')],
    ['[Content_Types].xml', encoder.encode('<Types/>')],
    ['docProps/core.xml', encoder.encode(CORE(w3cdtf('2026-10-05T00:00:00.000Z'), w3cdtf('2026-10-05T00:00:00.000Z')))],
  ]);
}

describe('office packages', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('dates the zip entries from the document date, whatever the time zone, [Content_Types].xml first', () => {
    const date = '2026-10-05T00:00:00.000Z';
    const zipped = ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles'].map((zone) => {
      process.env.TZ = zone;
      return writePackage(samplePackage(), date);
    });
    expect(Buffer.compare(Buffer.from(zipped[0]!), Buffer.from(zipped[1]!))).toBe(0);
    expect(Buffer.compare(Buffer.from(zipped[0]!), Buffer.from(zipped[2]!))).toBe(0);
    expect(zipEntryTimes(zipped[0]!)).toEqual(['2026-10-05 00:00:00', '2026-10-05 00:00:00', '2026-10-05 00:00:00']);
    const parts = unzipSync(zipped[0]!);
    expect(Object.keys(parts)[0]).toBe('[Content_Types].xml');
    expect(new TextDecoder().decode(parts['docProps/core.xml'])).toBe(CORE('2026-10-05T00:00:00Z', '2026-10-05T00:00:00Z'));
  });

  it('refuses an invalid date rather than writing the current time', () => {
    expect(() => w3cdtf('not a date')).toThrow(RangeError);
    expect(() => writePackage(samplePackage(), '2026-13-45')).toThrow(RangeError);
  });
});
