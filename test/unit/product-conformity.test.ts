import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { snapshotOf, type CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import { catalogueReport } from '#src/core/products/catalogue-report.ts';
import { checkCriterion, checkProduct } from '#src/core/products/check-product.ts';
import { applyDraft, catalogueImpact } from '#src/core/products/impact.ts';
import { importProducts, ProductFileReader } from '#src/core/products/import-products.ts';
import { FileLimitError, PRODUCT_FILE_LIMITS } from '#src/core/products/read-table.ts';
import { reportCsv } from '#src/core/products/report-table.ts';
import { CATALOGUE_DIR } from '#src/entry/paths.ts';
import { buildSampleCatalogue, type Expected } from '../support/sample-catalogue.ts';

const examples = (name: string) => readFileSync(new URL(`../../examples/catalogue/${name}`, import.meta.url), 'utf8');
let v2: CatalogueSnapshot;
beforeAll(async () => {
  v2 = snapshotOf(await loadCatalogue(CATALOGUE_DIR), 'carmo-education', 2);
});

const HEADER = 'reference;fournisseur;marque;modele;article';
const tablet = (cells: Record<string, string>) => {
  const ids = Object.keys(cells);
  return `${HEADER};${ids.join(';')}\nT-1;Fournisseur;Marque;Modèle;tablet;${ids.map((id) => cells[id]).join(';')}\n`;
};
function issuesOf(run: () => unknown): Array<{ path: string; message: string }> {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('catalogue conformity on the sample purchasing-centre catalogue', () => {
  it('is the file the seeded generator writes, with at least 300 products across eight items', () => {
    const { csv, expected } = buildSampleCatalogue();
    expect(examples('catalogue-centrale.csv')).toBe(csv);
    expect(JSON.parse(examples('catalogue-centrale.expected.json'))).toEqual(expected);
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(300);
  });

  it('gives every product the verdict it was built to have, and counts and shares that an independent count finds', () => {
    // Prepare
    const expected = JSON.parse(examples('catalogue-centrale.expected.json')) as Record<string, Expected>;
    // Act
    const report = catalogueReport(importProducts(examples('catalogue-centrale.csv'), 'csv', v2), v2);
    // Assess
    expect(Object.fromEntries(report.products.map((p) => [p.reference, p.verdict]))).toEqual(expected);
    const values = Object.values(expected);
    const conform = values.filter((v) => v === 'conform').length;
    expect(report.totals).toEqual({
      total: values.length,
      conform,
      'not-conform': values.filter((v) => v === 'not-conform').length,
      undeclared: values.filter((v) => v === 'undeclared').length,
      'needs-evidence': 0,
      shareConform: Math.round((1000 * conform) / values.length) / 10,
    });
    const tablets = Object.entries(expected).filter(([ref]) => ref.startsWith('TAB-'));
    const tabletGroup = report.byItem.find((g) => g.item === 'tablet')!;
    expect(tabletGroup.total).toBe(tablets.length);
    expect(tabletGroup.conform).toBe(tablets.filter(([, v]) => v === 'conform').length);
    expect(report.bySupplier.reduce((sum, s) => sum + s.total, 0)).toBe(values.length);
    for (const product of report.products.filter((p) => p.verdict !== 'conform')) {
      expect(product.firstReason?.level).toBe('minimum');
      expect(product.firstReason?.verdict).toBe(product.verdict);
    }
    const eligibleTablets = report.offers.find((o) => o.offer === 'classe-mobile-16')!.items.find((i) => i.item === 'tablet')!.eligible;
    expect(eligibleTablets).toEqual(tablets.filter(([, v]) => v === 'conform').map(([ref]) => ref));
  });
});

describe('checkCriterion', () => {
  const criterion = (id: string) => v2.criteria.get(id)!;
  it('converts units before comparing: 36 mois meets ≥ 3 ans, 31 999 Mo fails ≥ 32 Go, 25,4 cm meets ≥ 10 pouces exactly', () => {
    expect(checkCriterion(criterion('warranty.onsite'), { value: 36, unit: 'mois' })).toMatchObject({ verdict: 'conform', declared: '36\u00a0mois', comparison: '36\u00a0mois, soit 3\u00a0ans pour ≥\u00a03\u00a0ans exigé' });
    expect(checkCriterion(criterion('tablet.storage.user'), { value: 31_999, unit: 'Mo' })).toMatchObject({ verdict: 'not-conform' });
    expect(checkCriterion(criterion('tablet.storage.user'), { value: 32, unit: 'Go' }).verdict).toBe('conform');
    expect(checkCriterion(criterion('tablet.screen.diagonal'), { value: 25.4, unit: 'cm' }).verdict).toBe('conform');
  });

  it('reads ≤ thresholds, ranges, ordered options and yes/no', () => {
    expect(checkCriterion(criterion('display.projector.noise'), { value: 36, unit: 'dB' }).verdict).toBe('not-conform');
    expect(checkCriterion(criterion('laptop.screen.diagonal'), { value: 15.6, unit: 'pouces' }).verdict).toBe('conform');
    expect(checkCriterion(criterion('laptop.screen.diagonal'), { value: 17.3, unit: 'pouces' }).verdict).toBe('not-conform');
    expect(checkCriterion(criterion('wifi.standard'), { value: 'Wi-Fi 5 (802.11ac)' }).verdict).toBe('not-conform');
    expect(checkCriterion(criterion('wifi.standard'), { value: 'Wi-Fi 7 (802.11be)' }).verdict).toBe('conform');
    expect(checkCriterion(criterion('tablet.cameras'), { value: false }).verdict).toBe('not-conform');
  });

  it('never guesses a value the sheet leaves out, and asks for a document when the criterion is shown by one', () => {
    expect(checkCriterion(criterion('tablet.ram'), undefined)).toMatchObject({ verdict: 'undeclared', comparison: 'non déclaré, exigé ≥\u00a04\u00a0Go' });
    const certified: Criterion = { ...criterion('environment.ecolabel'), level: 'minimum' };
    expect(checkCriterion(certified, { value: true }).verdict).toBe('needs-evidence');
    expect(checkCriterion(certified, undefined).verdict).toBe('needs-evidence');
  });

  it('decides a product on its minimum criteria only: a failed assessed criterion leaves it conform', () => {
    const [product] = importProducts(examples('classes-mobiles.json'), 'json', v2);
    const withWeakResolution = { ...product!, attributes: { ...product!.attributes, 'tablet.screen.resolution': { value: 800, unit: 'pixels (petit côté)' } } };
    const check = checkProduct(withWeakResolution, v2);
    expect(check.verdict).toBe('conform');
    expect(check.checks.find((c) => c.criterionId === 'tablet.screen.resolution')!.verdict).toBe('not-conform');
  });
});

describe('bundles', () => {
  it('conform when every component does and the cart holds every tablet; a 12-slot cart for 16 tablets is not', () => {
    const report = catalogueReport(importProducts(examples('classes-mobiles.json'), 'json', v2), v2);
    const verdicts = Object.fromEntries(report.products.map((p) => [p.reference, p.verdict]));
    expect(verdicts).toMatchObject({ 'CAR-12': 'conform', 'CM16-COMPLETE': 'conform', 'CM16-PETIT-CHARIOT': 'not-conform', 'CM12-ECO': 'conform', 'TAB-ARDOISE-8': 'undeclared' });
    const small = report.products.find((p) => p.reference === 'CM16-PETIT-CHARIOT')!;
    expect(small.firstReason).toMatchObject({ criterionId: 'cart.slots', component: 'CAR-12', declared: '12\u00a0emplacements' });
    expect(small.firstReason!.required).toContain('≥\u00a016\u00a0emplacements');
    expect(report.offers.find((o) => o.offer === 'classe-mobile-16')!.bundles).toEqual(['CM16-COMPLETE']);
  });
});

describe('importProducts', () => {
  it('reads French numbers, units in the header or the cell, and option spellings without their note', () => {
    const [product] = importProducts(tablet({ 'tablet.storage.user (Go)': '64', 'tablet.screen.diagonal': '10,9 pouces', 'tablet.wifi': 'wi-fi 6', 'tablet.cameras': 'Oui' }), 'csv', v2);
    expect(product!.attributes).toEqual({
      'tablet.storage.user': { value: 64, unit: 'Go' },
      'tablet.screen.diagonal': { value: 10.9, unit: 'pouces' },
      'tablet.wifi': { value: 'Wi-Fi 6 (802.11ax)' },
      'tablet.cameras': { value: true },
    });
  });

  it('refuses what it cannot read with certainty, naming the line and the column', () => {
    const issues = issuesOf(() =>
      importProducts(tablet({ 'tablet.storage.user': '64 h', 'tablet.ram': '4', 'tablet.cameras': 'peut-être', 'tablet.wifi': 'Wi-Fi 4', 'tablet.colour': 'bleu' }), 'csv', v2),
    );
    expect(issues).toEqual([{ path: 'rows.1.tablet.colour', message: expect.stringContaining('unknown column') }]);
    const values = issuesOf(() => importProducts(tablet({ 'tablet.storage.user': '64 h', 'tablet.ram': '4', 'tablet.cameras': 'peut-être', 'tablet.wifi': 'Wi-Fi 4' }), 'csv', v2));
    expect(values.map((i) => i.path)).toEqual(['rows.2.tablet.storage.user', 'rows.2.tablet.ram', 'rows.2.tablet.cameras', 'rows.2.tablet.wifi']);
    expect(values[0]!.message).toBe('unit « h » does not convert to Go (expected Mo, Go, To)');
    expect(values[1]!.message).toContain('unit missing');
  });

  it('refuses duplicate references, unknown items and bundles naming absent products', () => {
    const csv = `${HEADER}\nA;F;M;X;tablet\nA;F;M;Y;tablet\nB;F;M;Z;toaster\n`;
    expect(issuesOf(() => importProducts(csv, 'csv', v2)).map((i) => i.path)).toEqual(['rows.4.item']);
    expect(issuesOf(() => importProducts(`${HEADER}\nA;F;M;X;tablet\nA;F;M;Y;tablet\n`, 'csv', v2))).toEqual([{ path: 'rows.3.reference', message: 'reference A already used at rows.2' }]);
    const bundle = { products: [{ reference: 'B-1', supplier: 'F', brand: 'M', model: 'X', offer: 'classe-mobile-16', components: [{ reference: 'NOPE', quantity: 16 }] }] };
    expect(issuesOf(() => importProducts(JSON.stringify(bundle), 'json', v2))).toEqual([{ path: 'products.0.components.0.reference', message: 'no product NOPE in this catalogue' }]);
  });

  it('bounds hostile files: rows, columns, cell length, nesting, size; a malformed file is an issue, never a partial catalogue', () => {
    const small = { ...PRODUCT_FILE_LIMITS, rows: 3, columns: 8, cellChars: 20, depth: 4, bytes: 10_000 };
    const rows = (n: number) => `${HEADER}\n${Array.from({ length: n }, (_, i) => `R${i};F;M;X;tablet`).join('\n')}\n`;
    expect(importProducts(rows(3), 'csv', v2, { limits: small })).toHaveLength(3);
    expect(() => importProducts(rows(4), 'csv', v2, { limits: small })).toThrow(FileLimitError);
    expect(() => importProducts(`${HEADER};a;b;c;d\n`, 'csv', v2, { limits: small })).toThrow(/more than 8 columns/);
    expect(() => importProducts(`${HEADER}\nA;F;M;${'x'.repeat(21)};tablet\n`, 'csv', v2, { limits: small })).toThrow(/more than 20 characters/);
    expect(() => importProducts('[[[[[1]]]]]', 'json', v2, { limits: small })).toThrow(/deeper than 4/);
    expect(() => importProducts('x'.repeat(10_001), 'csv', v2, { limits: small })).toThrow(/exceeds 10000 bytes/);
    expect(() => importProducts(rows(1000), 'csv', v2, { outOfTime: () => true, limits: { ...small, rows: 5000, bytes: 100_000 } })).toThrow(/takes too long/);
    expect(issuesOf(() => importProducts(`${HEADER}\nA;F;"M;X;tablet\n`, 'csv', v2))[0]).toEqual({ path: 'rows.2', message: 'a quoted cell is never closed' });
    expect(issuesOf(() => importProducts('{"products": [', 'json', v2))[0]!.message).toMatch(/^malformed JSON/);
  });
});

describe('ProductFileReader', () => {
  it('reads a CSV given in pieces cut anywhere, quotes and line ends included, as importProducts reads it whole', () => {
    // Prepare: quoted separators, doubled quotes, a line break inside quotes, CRLF and a BOM
    const csv = `\ufeff${HEADER};tablet.storage.user\r\nA;"F; ""le"" fournisseur";M;"X\nY";tablet;64 Go\r\n\r\nB;F;M;Z;tablet;"32 Go"\r\n`;
    const whole = importProducts(csv, 'csv', v2);
    expect(whole.map((p) => [p.supplier, p.model])).toEqual([['F; "le" fournisseur', 'X\nY'], ['F', 'Z']]);
    for (const size of [1, 2, 3, 7]) {
      // Act
      const reader = new ProductFileReader(v2, 'csv');
      const products = [];
      for (let i = 0; i < csv.length; i += size) products.push(...reader.csv(csv.slice(i, i + size)));
      products.push(...reader.csvEnd());
      // Assess
      expect(reader.issues()).toEqual([]);
      expect(products).toEqual(whole);
    }
  });

  it('keeps at most the issue bound, and names the bundles’ components only once every product is read', () => {
    const rows = Array.from({ length: 300 }, (_, i) => `R${i};F;M;X;toaster`).join('\n');
    const reader = new ProductFileReader(v2, 'csv');
    expect([...reader.csv(`${HEADER}\n${rows}\n`), ...reader.csvEnd()]).toEqual([]);
    expect(reader.issues()).toHaveLength(PRODUCT_FILE_LIMITS.issues);
    expect(reader.issues()[0]!.path).toBe('rows.2.item');
    const json = new ProductFileReader(v2, 'json');
    const bundle = { reference: 'B-1', supplier: 'F', brand: 'M', model: 'X', offer: 'classe-mobile-16', components: [{ reference: 'T-1', quantity: 16 }] };
    expect([...json.json(JSON.stringify([bundle, { reference: 'T-1', supplier: 'F', brand: 'M', model: 'X', item: 'tablet' }]))]).toHaveLength(2);
    expect(json.issues()).toEqual([]);
    expect(json.componentReferences()).toEqual(new Set(['T-1']));
  });
});

describe('reportCsv', () => {
  it('writes one row per product, one column per criterion, and keeps supplier text from running as a formula', () => {
    const csv = `${HEADER};tablet.storage.user\n=HYPERLINK(1);F;M;X;tablet;64 Go\n`;
    const issues = issuesOf(() => importProducts(csv, 'csv', v2));
    expect(issues[0]!.path).toBe('rows.2.reference');
    const products = importProducts(`${HEADER};tablet.storage.user\nA;=cmd|' /C calc'!A0;M;X;tablet;64 Go\n`, 'csv', v2);
    const out = reportCsv(catalogueReport(products, v2)).split('\r\n');
    expect(out[0]).toMatch(/^\ufeffréférence;fournisseur;marque;modèle;article;verdict;premier motif;tablet\.storage\.user;/);
    expect(out[1]).toMatch(/^A;'=cmd\|' \/C calc'!A0;M;X;tablet;non déclaré;/);
    expect(out[1]).toContain(';conforme (64\u00a0Go);');
  });
});

describe('catalogueImpact', () => {
  it('lists exactly the conform tablets whose storage is under a draft 64 Go, and nothing else', () => {
    // Prepare
    const csv = examples('catalogue-centrale.csv');
    const products = importProducts(csv, 'csv', v2);
    const storage = v2.criteria.get('tablet.storage.user')!;
    const draft = applyDraft(v2, [{ id: 'tablet.storage.user', metric: { ...storage.metric, value: 64 } as Criterion['metric'] }]);
    // Act
    const impact = catalogueImpact(products, v2, draft, true);
    // Assess: an independent reading of the storage column, in Go
    const expected = JSON.parse(examples('catalogue-centrale.expected.json')) as Record<string, Expected>;
    const [header, ...lines] = csv.trim().split('\n').map((l) => l.split(';'));
    const column = header!.indexOf('tablet.storage.user');
    const inGo = (cell: string) => {
      const [n, unit] = cell.split(' ');
      const value = Number(n!.replace(',', '.'));
      return unit === 'Mo' ? value / 1000 : unit === 'To' ? value * 1000 : value;
    };
    const losing = lines.filter((cells) => expected[cells[0]!] === 'conform' && cells[4] === 'tablet' && inGo(cells[column]!) < 64).map((cells) => cells[0]);
    expect(losing.length).toBeGreaterThan(0);
    expect(impact.losing.map((c) => c.reference)).toEqual(losing);
    expect(impact.gaining).toEqual([]);
    expect(impact.losing.every((c) => c.reason?.criterionId === 'tablet.storage.user' && c.reason.version === storage.version + 1)).toBe(true);
    expect(impact.criteria).toEqual([{ criterionId: 'tablet.storage.user', label: storage.label, changes: ['tightened'], before: { version: storage.version, threshold: '≥\u00a032\u00a0Go', level: 'minimum' }, after: { version: storage.version + 1, threshold: '≥\u00a064\u00a0Go', level: 'minimum' } }]);
    expect(impact.after.conform).toBe(impact.before.conform - losing.length);
  });

  it('refuses a draft that changes a metric’s kind or unit dimension, with the change’s path', () => {
    expect(() => applyDraft(v2, [{ id: 'tablet.ram', metric: { type: 'numeric', unit: 'h', comparator: 'gte', value: 4 } }])).toThrow(ValidationError);
    expect(() => applyDraft(v2, [{ id: 'tablet.nothing', level: 'assessed' }])).toThrow(/changes\.0\.id/);
  });
});
