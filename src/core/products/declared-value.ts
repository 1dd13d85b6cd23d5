import type { Criterion } from '#src/core/model/criterion.ts';
import { convertible, convertibleUnits, isUnit } from '#src/core/model/units.ts';
import type { DeclaredValue } from './product.ts';

/**
 * Reading a value a product sheet declares for a criterion: « 64 Go », « 10,9 », « oui »,
 * « Wi-Fi 6 ». What cannot be read with certainty is refused with a reason, never guessed: a
 * number without a unit where the column gives none, a unit of another kind (« 64 h » for a
 * storage), an option the criterion does not list.
 */

/** Spellings product sheets use for the units of units.ts (which stay the only units compared). */
const UNIT_ALIASES: Record<string, string> = {
  go: 'Go', gb: 'Go', 'gio': 'Go', mo: 'Mo', mb: 'Mo', to: 'To', tb: 'To',
  h: 'h', heure: 'heures', heures: 'heures', hr: 'h', min: 'min', minutes: 'min',
  jour: 'jours', jours: 'jours', j: 'jours', semaine: 'semaines', semaines: 'semaines',
  mois: 'mois', an: 'ans', ans: 'ans', année: 'ans', années: 'ans', year: 'ans', years: 'ans',
  mm: 'mm', cm: 'cm', pouce: 'pouces', pouces: 'pouces', po: 'pouces', '"': 'pouces', '″': 'pouces', inch: 'pouces', inches: 'pouces',
  g: 'g', kg: 'kg', '%': '%', w: 'W', db: 'dB', lm: 'lumens', lumen: 'lumens', lumens: 'lumens', '/10': '/10',
  emplacement: 'emplacements', emplacements: 'emplacements', px: 'pixels (petit côté)', pixels: 'pixels (petit côté)',
  clients: 'clients simultanés', 'points de contact': 'points de contact', points: 'points de contact',
  'visite par an': 'visites par an', 'visites par an': 'visites par an', 'jours ouvrés': 'jours ouvrés', 'jour ouvré': 'jours ouvrés',
};

/** The unit of units.ts a sheet's spelling names; undefined when it names none. */
export function canonicalUnit(spelling: string): string | undefined {
  const trimmed = spelling.trim();
  if (isUnit(trimmed)) return trimmed;
  return UNIT_ALIASES[trimmed.toLowerCase()];
}

const NUMBER = /^([+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+|[+-]?\d+)(?:[.,](\d+))?\s*(.*)$/u;

const YES = new Set(['oui', 'o', 'yes', 'y', 'true', 'vrai', '1', 'x']);
const NO = new Set(['non', 'n', 'no', 'false', 'faux', '0']);

const fold = (s: string) => s.normalize('NFC').replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

/** A declared value, or the reason it cannot be read. */
export type ReadValue = { value: DeclaredValue } | { problem: string };

/**
 * Reads a cell (or a JSON scalar) against the criterion it declares a value for. `columnUnit` is
 * the unit a CSV header gives its column (« tablet.storage.user (Go) »); a unit in the cell wins.
 */
export function readDeclared(criterion: Criterion, raw: unknown, columnUnit?: string): ReadValue {
  const metric = criterion.metric;
  if (typeof raw === 'object' && raw !== null && 'value' in raw) {
    const object = raw as { value: unknown; unit?: unknown };
    if (typeof object.value === 'number' && typeof object.unit === 'string') return readDeclared(criterion, `${object.value} ${object.unit}`);
    return readDeclared(criterion, object.value, typeof object.unit === 'string' ? object.unit : columnUnit);
  }
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return { problem: 'expected a number with its unit, yes/no or an option' };
  switch (metric.type) {
    case 'numeric':
    case 'range': {
      if (typeof raw === 'boolean') return { problem: `expected a quantity in ${convertibleUnits(metric.unit)}` };
      const text = typeof raw === 'number' ? String(raw) : raw.trim();
      const match = NUMBER.exec(text);
      if (!match) return { problem: `« ${text} » is not a number (expected e.g. « ${metric.type === 'numeric' ? metric.value : metric.min} ${metric.unit} »)` };
      const value = Number(`${match[1]!.replace(/[ \u00a0\u202f]/g, '')}${match[2] ? `.${match[2]}` : ''}`);
      const written = match[3]!.trim() || columnUnit;
      if (written === undefined || written === '') return { problem: `« ${text} »: unit missing (expected ${convertibleUnits(metric.unit)})` };
      const unit = canonicalUnit(written);
      if (unit === undefined || !convertible(unit, metric.unit)) {
        return { problem: `unit « ${written} » does not convert to ${metric.unit} (expected ${convertibleUnits(metric.unit)})` };
      }
      return { value: { value, unit } };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: { value: raw } };
      const word = fold(String(raw));
      if (YES.has(word)) return { value: { value: true } };
      if (NO.has(word)) return { value: { value: false } };
      return { problem: `« ${String(raw)} »: expected oui or non` };
    }
    case 'enum': {
      const word = fold(String(raw));
      const option =
        metric.options.find((o) => fold(o) === word) ??
        metric.options.find((o) => fold(o.replace(/\s*\(.*\)$/, '')) === word);
      if (option === undefined) return { problem: `« ${String(raw)} » is not one of: ${metric.options.join(' ; ')}` };
      return { value: { value: option } };
    }
    case 'text':
      return typeof raw === 'string' ? { value: { value: raw.trim() } } : { value: { value: String(raw) } };
  }
}
