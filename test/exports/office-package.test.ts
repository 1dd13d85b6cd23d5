import { afterEach, describe, expect, it } from 'vitest';
import { fixCoreDates, partText, readPackage, setPartText, w3cdtf, writePackage } from '#src/adapters/render/office-package.ts';
import { zipEntryTimes } from './support/office.ts';

const CORE = (created: string, modified: string) =>
  `<?xml version="1.0"?><cp:coreProperties xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="x"><dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${modified}</dcterms:modified></cp:coreProperties>`;

function samplePackage() {
  const parts = new Map<string, Uint8Array>();
  setPartText(parts, 'word/document.xml', '<w:document/>');
  setPartText(parts, '[Content_Types].xml', '<Types/>');
  setPartText(parts, 'docProps/core.xml', CORE('2031-01-01T10:11:12Z', '2031-02-02T10:11:12Z'));
  return parts;
}

describe('office packages', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('dates core properties and zip entries from the document date, whatever the time zone', () => {
    const date = '2026-10-05T00:00:00.000Z';
    const zipped = ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles'].map((zone) => {
      process.env.TZ = zone;
      const parts = samplePackage();
      fixCoreDates(parts, date);
      return writePackage(parts, date);
    });
    expect(Buffer.compare(Buffer.from(zipped[0]!), Buffer.from(zipped[1]!))).toBe(0);
    expect(Buffer.compare(Buffer.from(zipped[0]!), Buffer.from(zipped[2]!))).toBe(0);
    expect(zipEntryTimes(zipped[0]!)).toEqual(['2026-10-05 00:00:00', '2026-10-05 00:00:00', '2026-10-05 00:00:00']);
    const parts = readPackage(zipped[0]!);
    expect([...parts.keys()][0]).toBe('[Content_Types].xml');
    expect(partText(parts, 'docProps/core.xml')).toBe(CORE('2026-10-05T00:00:00Z', '2026-10-05T00:00:00Z'));
  });

  it('refuses an invalid date rather than writing the current time', () => {
    expect(() => w3cdtf('not a date')).toThrow(RangeError);
    expect(() => writePackage(samplePackage(), '2026-13-45')).toThrow(RangeError);
  });
});
