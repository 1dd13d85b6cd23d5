/**
 * One truth per requirement: whatever the buyer does to a threshold (tighten it, loosen it, write
 * it in another unit of the same kind), the sentence a bidder reads states the threshold in force,
 * with its unit agreed, and no other number of that metric — in the resolved tender, the OCDS
 * export, and (for a few runs, rendering being the slow part) the PDF text, the DOCX XML and the
 * compliance matrix.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Criterion, Metric } from '#src/core/model/criterion.ts';
import type { ResolvedRequirement, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { UNITS, type UnitDefinition } from '#src/core/model/units.ts';
import { buildOcdsRelease } from '#src/adapters/render/ocds/ocds.ts';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { cellText, readWorkbook, wordTables, zipParts } from '../exports/support/office.ts';
import { pdfText } from '../support/pdf-text.ts';
import { evaluateFrom, example, generateFrom, realDeps } from '../support/pipeline.ts';

type Thresholded = Extract<Metric, { type: 'numeric' | 'range' | 'enum' }>;
type Override = { criterionId: string; metric: Thresholded };

let deps: GenerateDocumentsDeps;
let criteria: Criterion[];
let itemIds: string[];

beforeAll(async () => {
  deps = await realDeps();
  const request = example('commune');
  const snapshot = await deps.catalogue.snapshot(request.framework.id, request.framework.version);
  criteria = [...snapshot.criteria.values()].filter((c) => ['numeric', 'range', 'enum'].includes(c.metric.type));
  itemIds = [...snapshot.items.keys()];
});

// ---- the oracle, written apart from the code under test -------------------------------------

const NUMBER = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const unitOf = (name: string): UnitDefinition => UNITS[name as keyof typeof UNITS];
const quantity = (value: number, unit: string) =>
  `${NUMBER.format(value)}${unitOf(unit).glued ? '' : '\u00a0'}${Math.abs(value) < 2 ? unitOf(unit).one : unitOf(unit).other}`;

/** Documents print the typographic apostrophe, whatever the source (« Gamme d’entrée »). */
const typographic = (s: string) => s.replace(/(?<=\p{L})'(?=\p{L})/gu, '’');

/** How the threshold must read in the sentence. */
function expectedPhrase(metric: Thresholded): string {
  return typographic(phrase(metric));
}

function phrase(metric: Thresholded): string {
  switch (metric.type) {
    case 'numeric':
      return `${{ gte: 'd’au moins ', lte: 'd’au plus ', eq: 'de ' }[metric.comparator]}${quantity(metric.value, metric.unit)}`;
    case 'range':
      return `de ${NUMBER.format(metric.min)} à ${quantity(metric.max, metric.unit)}`;
    case 'enum':
      return metric.comparator === 'gte' && metric.value !== metric.options.at(-1) ? `${metric.value} au minimum` : metric.value;
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const fold = (s: string) => s.replace(/\s+/g, ' ').trim();

/** A number followed by any spelling of a unit of the same kind (« 32 Go », « 32000 Mo », « 1 an »). */
function quantitiesOfDimension(unit: string): RegExp {
  const { dimension } = unitOf(unit);
  const spellings = Object.values(UNITS as Record<string, UnitDefinition>)
    .filter((u) => u.dimension === dimension)
    .flatMap((u) => [u.one, u.other])
    .sort((a, b) => b.length - a.length)
    .map(escape);
  return new RegExp(`\\d(?:[\\d\\s]*\\d)?(?:,\\d+)?\\s*(?:${spellings.join('|')})(?![\\p{L}])`, 'u');
}

/** Why `sentence` does not state exactly `metric` (and nothing else of it), or null. */
function misstatement(sentence: string, metric: Thresholded, reference: Criterion): string | null {
  const phrase = expectedPhrase(metric);
  // As a whole word: an energy class « C » is not the C of « Cette ».
  const parts = sentence.split(new RegExp(`(?<![\\p{L}\\p{N}])${escape(phrase)}(?![\\p{L}\\p{N}])`, 'u'));
  if (parts.length !== 2) return `expected « ${phrase} » once in « ${sentence} »`;
  const rest = parts.join(' ¶ ');
  if (metric.type === 'enum') {
    const other = metric.options.map(typographic).find((o) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(o)}(?![\\p{L}\\p{N}])`, 'u').test(rest));
    return other ? `« ${sentence} » also states « ${other} »` : null;
  }
  const stray = quantitiesOfDimension(metric.unit).exec(rest);
  if (stray) return `« ${sentence} » also states « ${stray[0]} »`;
  const m = reference.metric as Extract<Metric, { unit: string }>;
  const held = m.type === 'numeric' ? [m.value] : [m.min, m.max];
  const bare = [...rest.matchAll(/\d+(?:[\s]\d{3})*(?:,\d+)?/g)].map((x) => Number(x[0].replace(/\s/g, '').replace(',', '.')));
  const repeated = bare.find((n) => held.includes(n));
  return repeated === undefined ? null : `« ${sentence} » also states the reference number ${repeated}`;
}

// ---- random valid overrides -------------------------------------------------------------

const decimal = fc.integer({ min: 1, max: 40 }).map((n) => n / 2);

/** A valid override of `criterion`: tightened, loosened or in another unit of the same kind. */
function overrideOf(criterion: Criterion): fc.Arbitrary<Override> {
  const metric = criterion.metric as Thresholded;
  const sameKind = (unit: string) => Object.keys(UNITS).filter((u) => unitOf(u).dimension === unitOf(unit).dimension);
  let arbitrary: fc.Arbitrary<Thresholded>;
  switch (metric.type) {
    case 'numeric':
      arbitrary = fc
        .record({ factor: decimal, unit: fc.constantFrom(...sameKind(metric.unit)), comparator: fc.constantFrom(metric.comparator, metric.comparator, 'eq' as const) })
        .map(({ factor, unit, comparator }) => {
          const scaled = Math.max(1, Math.round(metric.value * factor * 10) / 10);
          const inUnit = Math.round(((scaled * unitOf(metric.unit).factor) / unitOf(unit).factor) * 100) / 100;
          return { ...metric, unit, comparator, value: inUnit > 0 ? inUnit : scaled };
        });
      break;
    case 'range':
      arbitrary = fc
        .record({ a: decimal, b: decimal, unit: fc.constantFrom(...sameKind(metric.unit)) })
        .map(({ a, b, unit }) => {
          const convert = (v: number) => Math.round(((v * unitOf(metric.unit).factor) / unitOf(unit).factor) * 10) / 10;
          const [lo, hi] = [metric.min * Math.min(a, b), metric.max * Math.max(a, b)].map(convert) as [number, number];
          return { ...metric, unit, min: lo, max: Math.max(lo, hi) };
        });
      break;
    case 'enum':
      arbitrary = fc.record({ value: fc.constantFrom(...metric.options), comparator: fc.constantFrom('gte' as const, 'eq' as const) }).map((m) => ({ ...metric, ...m }));
      break;
  }
  return arbitrary.map((m) => ({ criterionId: criterion.id, metric: m }));
}

/** One lot with every catalogue item, some thresholds overridden, tablets and carts in random numbers. */
const tenderInput = () =>
  fc
    .record({
      tablets: fc.integer({ min: 1, max: 60 }),
      carts: fc.integer({ min: 1, max: 3 }),
      overrides: fc.tuple(...criteria.map((c) => fc.option(overrideOf(c), { freq: 3 }))).map((list) => list.filter((o): o is Override => o !== null)),
    })
    .map(({ tablets, carts, overrides }) => {
      const input = example('commune');
      input.lots = [
        {
          title: 'Lot d’essai de tous les équipements du catalogue',
          items: itemIds.map((itemId) => ({ itemId, quantity: itemId === 'tablet' ? tablets : itemId === 'charging-cart' ? carts : 1 })),
          estimatedUnitPrices: {},
          overrides: overrides.map((o) => ({ ...o, justification: 'Besoin propre de l’école.' })),
          deliverySites: ['École des Combes'],
        },
      ];
      return { input, tablets, carts, overrides };
    });

/** The threshold each criterion must state: the override, else the reference, sized to the lot for the cart. */
function effective(criterion: Criterion, overrides: Override[], tablets: number, carts: number): Thresholded {
  const override = overrides.find((o) => o.criterionId === criterion.id);
  if (override) return override.metric;
  const metric = criterion.metric as Thresholded;
  if (criterion.id === 'cart.slots' && metric.type === 'numeric') return { ...metric, value: Math.max(metric.value, Math.ceil(tablets / carts)) };
  return metric;
}

function checkResolved(tender: ResolvedTender, overrides: Override[], tablets: number, carts: number): ResolvedRequirement[] {
  const requirements = tender.lots[0]!.requirements;
  for (const criterion of criteria) {
    const requirement = requirements.find((r) => r.id === criterion.id);
    expect(requirement, criterion.id).toBeDefined();
    const metric = effective(criterion, overrides, tablets, carts);
    expect(misstatement(requirement!.requirement, metric, criterion), criterion.id).toBeNull();
  }
  return requirements.filter((r) => criteria.some((c) => c.id === r.id));
}

describe('criterion texts take their threshold from the metric in force', () => {
  it('in the resolved tender and the OCDS export, over every thresholded criterion and random overrides', async () => {
    expect(criteria.length).toBeGreaterThanOrEqual(39);
    await fc.assert(
      fc.asyncProperty(tenderInput(), async ({ input, tablets, carts, overrides }) => {
        const { tender } = await evaluateFrom(input, deps.catalogue);
        const requirements = checkResolved(tender, overrides, tablets, carts);
        const release = buildOcdsRelease(tender).releases[0]!;
        for (const r of requirements) {
          const criterion = release.tender.criteria.find((c) => c.id === r.reference && c.relatedLots?.[0] === 'lot-1');
          expect(criterion?.description, r.id).toBe(r.requirement);
        }
      }),
      { numRuns: 60, seed: 20261206 },
    );
  });

  it('in the PDF text, the DOCX XML and the compliance matrix cell', async () => {
    await fc.assert(
      fc.asyncProperty(tenderInput(), async ({ input, tablets, carts, overrides }) => {
        const { tender } = await evaluateFrom(input, deps.catalogue);
        const requirements = checkResolved(tender, overrides, tablets, carts);
        const generated = await generateFrom(input, deps, ['pdf', 'docx', 'xlsx']);
        const file = (name: string) => generated.documents.find((d) => d.name === name)!.content;
        const pdf = fold(await pdfText(file('cctp.pdf')));
        const docxRows = wordTables(zipParts(file('cctp.docx')).get('word/document.xml')!).flatMap((t) => t.rows);
        const matrix = (await readWorkbook(file('cadre-de-reponse.xlsx'))).getWorksheet('Lot 1')!;
        const matrixCells = new Map<string, string>();
        matrix.eachRow((row) => matrixCells.set(cellText(row.getCell(1).value), cellText(row.getCell(2).value)));
        for (const r of requirements) {
          const sentence = fold(r.requirement);
          expect(pdf.includes(sentence), `${r.reference} in the PDF: « ${sentence} »`).toBe(true);
          const docxRow = docxRows.find((row) => row[0] === r.reference);
          expect(fold(docxRow?.join(' ') ?? ''), `${r.reference} in the DOCX`).toContain(sentence);
          expect(matrixCells.get(r.reference), `${r.reference} in the matrix`).toBe(`${r.label}. ${r.requirement}`);
        }
      }),
      { numRuns: 3, seed: 6122026 },
    );
  });
});
