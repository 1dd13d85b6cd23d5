/**
 * CPV codes printed one way (DOMAIN.md C17): every catalogue item carries its code with the check
 * digit, the charging cart is no longer filed under rotary filing cabinets (39132500), a code
 * whose check digit contradicts the CPV table is refused with its field path, and the CCTP prints
 * every line's code with its digit, even one a buyer gave in eight digits.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import { parseTenderRequest } from '#src/app/generate-documents.ts';
import { buildCctpContext } from '#src/core/documents/cctp-context.ts';
import type { Catalogue } from '#src/core/model/catalogue.ts';
import { cpvCheckDigit, cpvCheckDigitIssue, formatCpv } from '#src/core/model/cpv.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { resolveTender, snapshotOf } from '#src/core/model/resolve-tender.ts';
import { CATALOGUE_DIR } from '#src/entry/paths.ts';

/** The département's three-lot request (version 2), fresh. */
const departementV2 = (): Record<string, any> => JSON.parse(readFileSync(new URL('../../examples/departement-colleges-trois-lots-v2.json', import.meta.url), 'utf8'));

let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = await loadCatalogue(CATALOGUE_DIR);
});

describe('CPV codes', () => {
  it('are given with their check digit, as the CPV table records it, for every catalogue item', () => {
    const wrong = catalogue.items.filter((i) => !/^\d{8}-\d$/.test(i.cpv) || cpvCheckDigit(i.cpv) !== Number(i.cpv.slice(9)));
    expect(wrong.map((i) => `${i.id}: ${i.cpv}`)).toEqual([]);
  });

  it('file the charging cart as computer furniture, not as rotary filing cabinets', () => {
    expect(catalogue.items.find((i) => i.id === 'charging-cart')?.cpv).toBe('39134000-0');
    expect(catalogue.items.map((i) => i.cpv)).not.toContain('39132500');
  });

  it('print with their check digit, whether given with it or in eight digits, and an unknown code as given', () => {
    expect(formatCpv('30213200')).toBe('30213200-7');
    expect(formatCpv('30213100-6')).toBe('30213100-6');
    expect(formatCpv('12345678')).toBe('12345678');
    expect(cpvCheckDigitIssue('30213200-7')).toBeUndefined();
    expect(cpvCheckDigitIssue('30213200-4')).toBe('the check digit of CPV 30213200 is 7: "30213200-7"');
    expect(cpvCheckDigitIssue('12345678-9')).toBeUndefined();
  });

  it('refuse a request whose code contradicts its check digit, naming the field', () => {
    const request = departementV2();
    request.lots[0]!.cpv.main = '30213200-1';
    try {
      parseTenderRequest(request);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([expect.objectContaining({ path: 'lots.0.cpv.main', message: expect.stringContaining('30213200-7') })]);
    }
  });

  it('are printed one way in the CCTP lines, a buyer’s eight-digit line code included', () => {
    const request = departementV2();
    request.lots[0]!.items.push({ designation: 'Stylet actif ou équivalent', unit: 'unité', nature: 'supply', cpv: '30237200', quantity: 10, unitPrice: 40 });
    const tender = resolveTender(parseTenderRequest(request), snapshotOf(catalogue, 'carmo-education', 3));
    const printed = buildCctpContext(tender).lots.flatMap((l) => l.lines.map((line) => line.cpv));
    expect(printed.length).toBeGreaterThan(5);
    expect(printed.filter((c) => !/^\d{8}-\d$/.test(c))).toEqual([]);
    expect(printed).toContain('30237200-1');
  });
});
