/**
 * The sample purchasing-centre catalogue (examples/catalogue/catalogue-centrale.csv), built from a
 * seed. Each product is built to a plan: conform (values at or above the threshold, some exactly
 * at it, some in another unit: 32 000 Mo, 36 mois, 25,4 cm), one minimum criterion failed (below
 * the threshold, sometimes in another unit), or one minimum value left out. The plan gives the
 * verdict the product must get; nothing here calls the checker.
 */
import { readFileSync } from 'node:fs';

interface Metric {
  type: 'numeric' | 'range' | 'boolean' | 'enum' | 'text';
  unit?: string;
  comparator?: 'gte' | 'lte' | 'eq';
  value?: number | string;
  min?: number;
  max?: number;
  expected?: boolean;
  options?: string[];
}
interface Criterion {
  id: string;
  version: number;
  level: 'minimum' | 'assessed';
  metric: Metric;
  proof: string[];
}

const json = (path: string) => JSON.parse(readFileSync(new URL(`../../catalogue/${path}`, import.meta.url), 'utf8'));

/** mulberry32: a small, well-mixed 32-bit generator; the same seed gives the same catalogue. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Another unit each value may be written in, with its factor (value in it = value × factor); exact conversions only. */
const OTHER_UNIT: Record<string, [string, number]> = { Go: ['Mo', 1000], To: ['Go', 1000], ans: ['mois', 12], h: ['min', 60], heures: ['h', 1], pouces: ['cm', 2.54], kg: ['g', 1000] };

const PLAN: Array<{ item: string; count: number; brands: string[]; prefix: string }> = [
  { item: 'tablet', count: 120, brands: ['Lumio', 'Tabula', 'Ardoise', 'Clairsemé'], prefix: 'TAB' },
  { item: 'teacher-laptop', count: 50, brands: ['Portalis', 'Nomade', 'Calepin'], prefix: 'LAP' },
  { item: 'charging-cart', count: 30, brands: ['Mobiclasse', 'Chariotec'], prefix: 'CAR' },
  { item: 'wifi-access-point', count: 40, brands: ['Ondes', 'Relais'], prefix: 'WAP' },
  { item: 'interactive-display', count: 35, brands: ['Tableau+', 'Vitrail'], prefix: 'ECR' },
  { item: 'video-projector-interactive', count: 15, brands: ['Lanterne'], prefix: 'VPI' },
  { item: 'school-server', count: 10, brands: ['Socle'], prefix: 'SRV' },
  { item: 'mdm-licence', count: 20, brands: ['Flotte', 'Gestia'], prefix: 'MDM' },
];
const SUPPLIERS = ['Centrale Numérique Éducation', 'Équipements Scolaires du Centre', 'Bureau & Classe SAS', 'Atelier Numérique Réuni'];

export type Expected = 'conform' | 'not-conform' | 'undeclared';

const decimal = (n: number) => String(Number(n.toFixed(2))).replace('.', ',');

/** A cell that meets the metric (at the threshold when `exact`), or fails it; undefined when it cannot fail. */
function cell(metric: Metric, meets: boolean, rnd: () => number): string | undefined {
  const exact = rnd() < 0.2;
  const other = rnd() < 0.3;
  const quantity = (raw: number, unit: string) => {
    const value = unit === '%' ? Math.min(raw, 100) : unit === '/10' ? Math.min(raw, 10) : raw;
    const alt = OTHER_UNIT[unit];
    if (other && alt) return `${decimal(value * alt[1])} ${alt[0]}`;
    return `${decimal(value)} ${unit}`;
  };
  switch (metric.type) {
    case 'numeric': {
      const v = metric.value as number;
      const up = metric.comparator !== 'lte';
      if (metric.comparator === 'eq') return meets ? quantity(v, metric.unit!) : quantity(v + 1, metric.unit!);
      if (meets) {
        const factor = exact ? 1 : 1 + [0.25, 0.5, 1][Math.floor(rnd() * 3)]!;
        const value = up ? Math.ceil(v * factor) : Math.floor((v / factor) * 10) / 10;
        return quantity(value, metric.unit!);
      }
      // Failing by a visible margin, or by one unit under the threshold (31 Go for ≥ 32 Go).
      const value = up ? (rnd() < 0.5 ? Math.floor(v * 0.5) : v - (v >= 2 ? 1 : 0.5)) : Math.ceil(v * 1.5);
      return quantity(value, metric.unit!);
    }
    case 'range': {
      if (meets) return quantity(exact ? metric.min! : metric.max!, metric.unit!);
      return quantity(metric.max! + 1, metric.unit!);
    }
    case 'boolean':
      if (!metric.expected) return 'non';
      return meets ? (rnd() < 0.5 ? 'oui' : 'Oui') : 'non';
    case 'enum': {
      const options = metric.options!;
      const at = options.indexOf(metric.value as string);
      if (meets) return options[at + Math.floor(rnd() * (options.length - at))];
      return at === 0 ? undefined : options[Math.floor(rnd() * at)];
    }
    case 'text':
      return undefined;
  }
}

const VALUE_PROOFS = ['datasheet', 'declaration', 'service-description'];

export function buildSampleCatalogue(seed = 2026_12_06): { csv: string; expected: Record<string, Expected> } {
  const framework = json('frameworks/carmo-education-v2.json') as { criteria: Array<{ id: string; version: number }> };
  const versions = [...(json('criteria.json') as Criterion[]), ...(json('criteria-frozen.json') as Criterion[])];
  const pinned = framework.criteria.map((ref) => versions.find((c) => c.id === ref.id && c.version === ref.version)!);
  const items = json('items.json') as Array<{ id: string; criteria: string[] }>;
  const rnd = random(seed);
  const columns = [...new Set(PLAN.flatMap((p) => items.find((i) => i.id === p.item)!.criteria))].filter((id) => pinned.some((c) => c.id === id && c.metric.type !== 'text'));
  const rows: string[][] = [];
  const expected: Record<string, Expected> = {};
  for (const plan of PLAN) {
    const criteria = pinned.filter((c) => items.find((i) => i.id === plan.item)!.criteria.includes(c.id) && c.metric.type !== 'text');
    // Minimum criteria a sheet states as a value, the only ones a plan fails or leaves out.
    const decisive = criteria.filter((c) => c.level === 'minimum' && c.proof.some((p) => VALUE_PROOFS.includes(p)));
    for (let n = 1; n <= plan.count; n++) {
      const reference = `${plan.prefix}-${String(n).padStart(3, '0')}`;
      const draw = rnd();
      let outcome: Expected = draw < 0.55 ? 'conform' : draw < 0.82 ? 'not-conform' : 'undeclared';
      const failable = decisive.filter((c) => cell(c.metric, false, random(1)) !== undefined && !(c.metric.type === 'boolean' && !c.metric.expected));
      if (outcome === 'not-conform' && failable.length === 0) outcome = 'conform';
      const target = outcome === 'not-conform' ? failable[Math.floor(rnd() * failable.length)]! : outcome === 'undeclared' ? decisive[Math.floor(rnd() * decisive.length)]! : undefined;
      const values = new Map<string, string>();
      for (const criterion of criteria) {
        if (criterion === target && outcome === 'undeclared') continue;
        // Assessed criteria are sometimes left out or failed: they never decide the verdict.
        if (criterion.level === 'assessed' && rnd() < 0.3) continue;
        const meets = criterion === target ? false : criterion.level === 'assessed' ? rnd() < 0.7 : true;
        const value = cell(criterion.metric, meets, rnd) ?? cell(criterion.metric, true, rnd);
        if (value !== undefined) values.set(criterion.id, value);
      }
      const brand = plan.brands[Math.floor(rnd() * plan.brands.length)]!;
      rows.push([reference, SUPPLIERS[Math.floor(rnd() * SUPPLIERS.length)]!, brand, `${brand} ${plan.prefix.toLowerCase()} ${100 + n}`, plan.item, ...columns.map((id) => values.get(id) ?? '')]);
      expected[reference] = outcome;
    }
  }
  const quote = (c: string) => (/[;"\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const csv = [['reference', 'fournisseur', 'marque', 'modele', 'article', ...columns], ...rows].map((r) => r.map(quote).join(';')).join('\n');
  return { csv: `${csv}\n`, expected };
}
