/**
 * Units of the criteria's metrics, as a closed list: each unit belongs to one dimension and
 * converts to the other units of that dimension by a factor, so that a buyer writing « 64 Mo »
 * against a reference of « 32 Go » is compared in the same unit (and found looser), and a unit
 * of another dimension (« 64 h » for a storage) is refused rather than silently compared.
 *
 * The keys are the spellings accepted in catalogue files and requests; several spellings may
 * name the same unit (`heures` and `h`). Counted things (« emplacements », « points de contact »)
 * are each a dimension of their own: 16 slots are not 16 touch points.
 */

export interface UnitDefinition {
  /** Units convert only within a dimension. */
  dimension: string;
  /** Value of one of this unit in the dimension's base unit. */
  factor: number;
  /** Printed after a value below 2 (French agreement: « 1 an », « 1,5 an »). */
  one: string;
  /** Printed after a value of 2 or more. */
  other: string;
  /** Printed glued to the number (« 7/10 ») rather than after a no-break space. */
  glued?: true;
}

const counted = (dimension: string, one: string, other: string): UnitDefinition => ({ dimension, factor: 1, one, other });

/*
 * Storage sizes are counted in powers of ten, as manufacturers and the CARMO sheets state them
 * (1 Go = 1 000 Mo). Durations in months and years convert exactly; days do not convert to months.
 */
export const UNITS = {
  Mo: { dimension: 'data', factor: 1, one: 'Mo', other: 'Mo' },
  Go: { dimension: 'data', factor: 1_000, one: 'Go', other: 'Go' },
  To: { dimension: 'data', factor: 1_000_000, one: 'To', other: 'To' },
  min: { dimension: 'time', factor: 1, one: 'min', other: 'min' },
  h: { dimension: 'time', factor: 60, one: 'h', other: 'h' },
  heures: { dimension: 'time', factor: 60, one: 'heure', other: 'heures' },
  jours: { dimension: 'days', factor: 1, one: 'jour', other: 'jours' },
  semaines: { dimension: 'days', factor: 7, one: 'semaine', other: 'semaines' },
  'jours ouvrés': { dimension: 'working-days', factor: 1, one: 'jour ouvré', other: 'jours ouvrés' },
  mois: { dimension: 'months', factor: 1, one: 'mois', other: 'mois' },
  ans: { dimension: 'months', factor: 12, one: 'an', other: 'ans' },
  mm: { dimension: 'length', factor: 0.1, one: 'mm', other: 'mm' },
  cm: { dimension: 'length', factor: 1, one: 'cm', other: 'cm' },
  pouces: { dimension: 'length', factor: 2.54, one: 'pouce', other: 'pouces' },
  g: { dimension: 'mass', factor: 1, one: 'g', other: 'g' },
  kg: { dimension: 'mass', factor: 1_000, one: 'kg', other: 'kg' },
  '%': { dimension: 'percent', factor: 1, one: '%', other: '%' },
  W: { dimension: 'power', factor: 1, one: 'W', other: 'W' },
  dB: { dimension: 'sound', factor: 1, one: 'dB', other: 'dB' },
  lumens: { dimension: 'luminous-flux', factor: 1, one: 'lumen', other: 'lumens' },
  '/10': { dimension: 'score-10', factor: 1, one: '/10', other: '/10', glued: true },
  'pixels (petit côté)': counted('pixels-short-side', 'pixel (petit côté)', 'pixels (petit côté)'),
  emplacements: counted('slots', 'emplacement', 'emplacements'),
  'clients simultanés': counted('concurrent-clients', 'client simultané', 'clients simultanés'),
  'points de contact': counted('touch-points', 'point de contact', 'points de contact'),
  'visites par an': counted('visits-per-year', 'visite par an', 'visites par an'),
} as const satisfies Record<string, UnitDefinition>;

export type UnitName = keyof typeof UNITS;

export const UNIT_NAMES = Object.keys(UNITS) as UnitName[];

export function isUnit(name: string): name is UnitName {
  return Object.hasOwn(UNITS, name);
}

export function unitDefinition(name: string): UnitDefinition | undefined {
  return isUnit(name) ? UNITS[name] : undefined;
}

/** Whether a value in `from` can be expressed in `to`. */
export function convertible(from: string, to: string): boolean {
  const a = unitDefinition(from);
  const b = unitDefinition(to);
  return a !== undefined && b !== undefined && a.dimension === b.dimension;
}

/** The units a value in `unit` may be written in, for error messages (« Mo, Go, To »). */
export function convertibleUnits(unit: string): string {
  const dimension = unitDefinition(unit)?.dimension;
  return UNIT_NAMES.filter((name) => UNITS[name].dimension === dimension).join(', ');
}

/**
 * `value` expressed in `from`, converted to `to`; undefined when the units do not convert.
 * Rounded to 9 significant digits so that 2,54 cm is exactly 1 pouce.
 */
export function convert(value: number, from: string, to: string): number | undefined {
  if (from === to) return value;
  if (!convertible(from, to)) return undefined;
  return Number(((value * unitDefinition(from)!.factor) / unitDefinition(to)!.factor).toPrecision(9));
}

/** The unit as printed after `value`, agreed in number (« 1 an », « 3 ans »); unknown units as written. */
export function unitLabel(name: string, value: number): string {
  const unit = unitDefinition(name);
  if (!unit) return name;
  return Math.abs(value) < 2 ? unit.one : unit.other;
}

/** The separator between a number and its unit: a no-break space, or nothing for glued units. */
export function unitSeparator(name: string): string {
  return unitDefinition(name)?.glued ? '' : '\u00a0';
}
