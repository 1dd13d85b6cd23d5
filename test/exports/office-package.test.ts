import { afterEach, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { coreDates, w3cdtf, writePackage } from '#src/adapters/render/office-package.ts';
import { zipEntryTimes } from './support/office.ts';

const encoder = new TextEncoder();

function samplePackage() {
  return new Map<string, Uint8Array>([
    ['word/document.xml', encoder.encode('<w:document/>')],
    ['[Content_Types].xml', encoder.encode('<Types/>')],
    ['docProps/core.xml', encoder.encode('<cp:coreProperties>« créé » le 5 octobre</cp:coreProperties>')],
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
    expect(Object.keys(parts)).toEqual(['[Content_Types].xml', 'word/document.xml', 'docProps/core.xml']);
    // The parts come back byte for byte: the writers date their own parts (coreDates), the zip only dates its entries.
    for (const [name, bytes] of samplePackage()) expect(Buffer.from(parts[name]!).equals(Buffer.from(bytes)), name).toBe(true);
  });

  it('dates docProps/core.xml with the document date, in the W3CDTF form Office writes', () => {
    expect(coreDates('2026-10-05T09:30:00.000Z')).toBe(
      '<dcterms:created xsi:type="dcterms:W3CDTF">2026-10-05T09:30:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2026-10-05T09:30:00Z</dcterms:modified>',
    );
    expect(() => coreDates('not a date')).toThrow(RangeError);
  });

  it('refuses an invalid date rather than writing the current time', () => {
    expect(() => w3cdtf('not a date')).toThrow(RangeError);
    expect(() => writePackage(samplePackage(), '2026-13-45')).toThrow(RangeError);
  });
});
