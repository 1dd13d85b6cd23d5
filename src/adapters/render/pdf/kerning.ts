/**
 * How fontkit shapes two characters side by side in Latin text, read from the font's GSUB and
 * GPOS tables directly instead of one `font.layout()` call per pair.
 *
 * Why: a document of words new to the process meets a few thousand character pairs per face,
 * and fontkit's `layout()` costs tens of microseconds a call in a fresh process (it plans the
 * features, walks every lookup of the script over both glyphs and builds a glyph run): ≈ 15 % of
 * a cold `cahier generate`. The answer for most pairs is a sum of PairPos values of the `kern`
 * feature, which this module reads from the tables fontkit has already parsed.
 *
 * It answers only for pairs it can vouch for, and says "ask fontkit" (null) for the rest, so
 * that the result is always fontkit's:
 * - the features are those fontkit 2.0.4 applies to Latin text (its default shaper's plan:
 *   FEATURES below), from the `latn` script's default language system, as fontkit selects them;
 * - a glyph that any substitution of those features could start from or match (the coverage of
 *   every GSUB subtable they use, contextual ones included), or that any positioning other than
 *   `kern` pair adjustment could move (the coverage of single, cursive and contextual subtables,
 *   the mark coverage of mark attachment), or that is a mark (GDEF class or Unicode category,
 *   zeroed by the shaper) or a default-ignorable character (hidden by fontkit), is left to
 *   fontkit;
 * - the `kern` lookups are applied as fontkit's GPOS processor applies them: in lookup-list
 *   order, the first subtable that matches the first glyph and its follower wins, values summed
 *   over lookups;
 * - fonts with variations, feature variations, no GPOS table or a legacy `kern` table (which
 *   fontkit reads when GPOS has no `kern` feature for the script) are left to fontkit whole; a
 *   face without kerning (DejaVu Sans Mono) gets no adjustment, as from fontkit.
 *
 * Reads fontkit 2.0.4's parsed tables (`font.GSUB`, `font.GPOS`, `font.GDEF`: the restructure
 * objects its own processors read). test/pdf/upstream.test.ts compares every pair of the French
 * repertoire, in each face, with `font.layout()`.
 */
import type { Font } from 'fontkit';
import { fontTableBytes } from './upstream.ts';

/** Features fontkit 2.0.4's default shaper applies to left-to-right horizontal text (rvrn, ltra, ltrm, frac…, then common and horizontal ones). */
const FEATURES: readonly string[] = ['rvrn', 'ltra', 'ltrm', 'frac', 'numr', 'dnom', 'ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern'];

/** Characters fontkit shapes specially: marks (zeroed), default ignorables (hidden). */
const SPECIAL = /[\p{M}\p{Default_Ignorable_Code_Point}]/u;

type Coverage = { version: 1; glyphs: number[] } | { version: 2; rangeRecords: { start: number; end: number; startCoverageIndex: number }[] };
type ClassDef = { version: 1; startGlyph: number; classValueArray: number[] } | { version: 2; classRangeRecord: { start: number; end: number; class: number }[] };
interface ValueRecord {
  xPlacement?: number;
  yPlacement?: number;
  xAdvance?: number;
  yAdvance?: number;
}
interface Indexed<T> {
  readonly length: number;
  get(index: number): T;
}
interface Subtable {
  version?: number;
  ligatureSets?: Indexed<{ glyph: number; components: number[] }[]>;
  chainRuleSets?: ChainRule[][];
  chainClassSet?: (ChainRule[] | null)[];
  backtrackClassDef?: ClassDef;
  inputClassDef?: ClassDef;
  lookaheadClassDef?: ClassDef;
  backtrackCoverage?: Coverage[];
  lookaheadCoverage?: Coverage[];
  coverage?: Coverage;
  coverages?: Coverage[];
  inputCoverage?: Coverage[];
  markCoverage?: Coverage;
  mark1Coverage?: Coverage;
  lookupType?: number;
  extension?: Subtable;
  pairSets?: Indexed<{ secondGlyph: number; value1?: ValueRecord; value2?: ValueRecord }[]>;
  classDef1?: ClassDef;
  classDef2?: ClassDef;
  classRecords?: Indexed<Indexed<{ value1?: ValueRecord; value2?: ValueRecord }>>;
}
interface ChainRule {
  backtrack: number[];
  input: number[];
  lookahead: number[];
}
interface Lookup {
  lookupType: number;
  flags: { flags: { ignoreBaseGlyphs: boolean; ignoreLigatures: boolean } };
  subTables: Subtable[];
}
interface LayoutTable {
  scriptList: { tag: string; script: { defaultLangSys: { featureIndexes: number[] } | null } }[];
  featureList: { tag: string; feature: { lookupListIndexes: number[] } }[];
  lookupList: Indexed<Lookup>;
  featureVariations?: unknown;
}
interface FontTables {
  GSUB?: LayoutTable;
  GPOS?: LayoutTable;
  GDEF?: { glyphClassDef?: ClassDef };
  _variationProcessor?: unknown;
  fvar?: unknown;
  kern?: unknown;
}

/** One PairPos subtable of the `kern` feature, with what its coverage and pair sets hold, read on demand. */
interface PairSubtable {
  readonly table: Subtable;
  readonly covered: () => Map<number, number>;
  readonly sets: Map<number, Map<number, { value1?: ValueRecord; value2?: ValueRecord }>>;
  /** Format 2's records read from the bytes on first use (classPairMatrix); undefined: read them from fontkit's parse. */
  readonly matrix: () => ClassPairMatrix | undefined;
}

/** A character's glyph in a face: its id and the code point it was mapped from. */
export interface KernedGlyph {
  readonly id: number;
  readonly codePoint: number;
}

/**
 * The advance adjustment fontkit gives the first of two glyphs shaped side by side as Latin
 * text (font units), or null when the pair is not two glyphs of which only the first moves
 * horizontally, or when this module cannot vouch for fontkit's answer.
 */
export interface PairKerning {
  (first: KernedGlyph, second: KernedGlyph): number | null;
  /**
   * Whether fontkit shapes the glyph on its own as that glyph at its own advance: no
   * substitution or positioning of the features can start from it, and it is neither a mark nor
   * an ignorable. false when this module cannot vouch for it.
   */
  readonly alone: (glyph: KernedGlyph) => boolean;
  /**
   * The glyphs of a word after the ligature substitutions of the features (ﬁ, ﬂ, ﬀ, ﬃ, ﬄ in
   * DejaVu), each with the code points it stands for, as fontkit substitutes them; null when
   * none applies, or when any other substitution or positioning could act on the word.
   */
  readonly ligate: (glyphs: readonly KernedGlyph[]) => LigatedGlyph[] | null;
}

/** A glyph of a shaped word and the characters it stands for (two or three for a ligature). */
export interface LigatedGlyph {
  readonly id: number;
  readonly codePoints: readonly number[];
}

/**
 * The script fontkit asks the tables for: `latn` for Latin text, and for text of Common
 * characters only (digits, punctuation, signs) a script no table lists (fontkit detects `zzzz`),
 * which makes it take the `DFLT` script's features.
 */
export type KerningScript = 'latn' | 'zzzz';

/** The kerning reader for `font` in `script`, or null when it must be left to fontkit whole. */
export function pairKerning(font: Font, script: KerningScript = 'latn'): PairKerning | null {
  const tables = font as unknown as FontTables;
  if (tables._variationProcessor || tables.fvar) return null;
  const gsub = tables.GSUB ? features(tables.GSUB, script) : new Map<string, number[]>();
  const gpos = tables.GPOS ? features(tables.GPOS, script) : null;
  if (gsub === null || gpos === null || (!gpos.has('kern') && tables.kern)) return null;

  const unsafe = new Set<number>();
  // Rules that act on some runs of their glyphs only: all of them (what `pair` and `alone` test), and all but the ligatures `ligate` applies itself.
  const conditional: Matcher[] = [];
  const contextual: Matcher[] = [];
  const add = (lookup: Lookup, sub: { type: number; table: Subtable }, tag: 'GSUB' | 'GPOS'): boolean => {
    const matcher = lookup.flags.flags.ignoreBaseGlyphs || lookup.flags.flags.ignoreLigatures ? null : matcherOf(sub.table, sub.type, tag);
    if (matcher) conditional.push(matcher), contextual.push(matcher);
    return matcher !== null || addCoverage(unsafe, sub.table, sub.type, tag);
  };
  const ligatures: LigatureSubtable[][] = [];
  for (const { tag, index } of lookupOrder(gsub)) {
    const lookup = tables.GSUB!.lookupList.get(index);
    const subs = subtables(lookup, 7);
    if (!LOCAL_FEATURES.has(tag) && !lookup.flags.flags.ignoreBaseGlyphs && !lookup.flags.flags.ignoreLigatures && subs.every((s) => s.type === 4 && s.table.coverage && s.table.ligatureSets)) {
      ligatures.push(subs.map((s) => ({ covered: lazyCoverage(s.table.coverage!), sets: s.table.ligatureSets! })));
      for (const s of subs) conditional.push(matcherOf(s.table, 4, 'GSUB')!);
      continue;
    }
    for (const sub of subs) if (!add(lookup, sub, 'GSUB')) return null;
  }
  const kern: PairSubtable[][] = [];
  for (const { tag, index } of lookupOrder(gpos)) {
    const marks = tag === 'kern' ? undefined : markCoverages(font, index);
    if (marks) {
      for (const glyphs of marks) for (const id of glyphs) unsafe.add(id);
      continue;
    }
    const lookup = tables.GPOS!.lookupList.get(index);
    const subs = subtables(lookup, 9);
    if (tag === 'kern' && subs.every((s) => s.type === 2) && !lookup.flags.flags.ignoreBaseGlyphs && !lookup.flags.flags.ignoreLigatures) {
      kern.push(subs.map((s, k) => ({ table: s.table, covered: lazyCoverage(s.table.coverage!), sets: new Map(), matrix: once(() => (s.table.version === 2 ? classPairMatrix(font, index, k) : undefined)) })));
      continue;
    }
    for (const sub of subs) if (!add(lookup, sub, 'GPOS')) return null;
  }
  const glyphClass = tables.GDEF?.glyphClassDef;

  // Base glyphs and ligatures (GDEF classes 1 and 2; 0: unclassified): the kern lookups taken above skip neither.
  const safe = (glyph: KernedGlyph): boolean =>
    !unsafe.has(glyph.id) && !SPECIAL.test(String.fromCharCode(glyph.codePoint)) && (glyphClass === undefined || classOf(glyph.id, glyphClass) <= 2);

  const pair = (first: KernedGlyph, second: KernedGlyph): number | null => {
    if (!safe(first) || !safe(second)) return null;
    const run = [first.id, second.id];
    for (const matches of conditional) if (matches(run)) return null;
    let advance = 0;
    for (const lookup of kern) {
      for (const sub of lookup) {
        const value = pairValue(sub, first.id, second.id);
        if (value === undefined) continue;
        if (value === null) return null;
        advance += value;
        break;
      }
    }
    return advance;
  };
  const alone = (glyph: KernedGlyph): boolean => {
    if (!safe(glyph)) return false;
    const run = [glyph.id];
    return !conditional.some((matches) => matches(run));
  };
  // Whether a rule `ligate` does not apply itself could act on the run: on each glyph and its follower, or the last glyph alone.
  const acts = (ids: readonly number[]): boolean => {
    for (let i = 0; i < ids.length; i++) {
      const run = i + 1 < ids.length ? [ids[i]!, ids[i + 1]!] : [ids[i]!];
      for (const matches of contextual) if (matches(run)) return true;
    }
    return false;
  };
  const ligate = (glyphs: readonly KernedGlyph[]): LigatedGlyph[] | null => {
    if (ligatures.length === 0 || !glyphs.every(safe) || acts(glyphs.map((g) => g.id))) return null;
    const run: LigatedGlyph[] = glyphs.map((g) => ({ id: g.id, codePoints: [g.codePoint] }));
    let ligated = false;
    // As fontkit's GSUB processor: lookup by lookup over the whole run; at each glyph, the first
    // subtable whose coverage and ligature set match, the set's first ligature whose components follow.
    for (const lookup of ligatures) {
      for (let i = 0; i < run.length; i++) {
        for (const sub of lookup) {
          const index = sub.covered().get(run[i]!.id);
          if (index === undefined) continue;
          const ligature = sub.sets.get(index).find((l) => l.components.every((c, k) => run[i + 1 + k]?.id === c));
          if (!ligature) continue;
          const parts = run.slice(i, i + 1 + ligature.components.length);
          run.splice(i, parts.length, { id: ligature.glyph, codePoints: parts.flatMap((p) => p.codePoints) });
          ligated = true;
          break;
        }
      }
    }
    if (!ligated || !run.every((g) => safe({ id: g.id, codePoint: g.codePoints[0]! })) || acts(run.map((g) => g.id))) return null;
    return run;
  };
  return Object.assign(pair, { alone, ligate });
}

/** Features fontkit's default shaper gives only the glyphs around a fraction slash (its local features): `ligate` leaves their ligatures to fontkit. */
const LOCAL_FEATURES: ReadonlySet<string> = new Set(['frac', 'numr', 'dnom']);

/** A ligature substitution subtable: its coverage (first glyphs) and, by coverage index, its ligatures in preference order. */
interface LigatureSubtable {
  readonly covered: () => Map<number, number>;
  readonly sets: Indexed<{ glyph: number; components: number[] }[]>;
}

/** As fontkit's lookupsForFeatures orders them: every (feature, lookup) in lookup-list order, a lookup listed twice applied twice. */
function lookupOrder(features: Map<string, number[]>): { tag: string; index: number }[] {
  return [...features].flatMap(([tag, lookups]) => lookups.map((index) => ({ tag, index }))).sort((a, b) => a.index - b.index);
}

/**
 * For a GPOS mark attachment lookup (mark to base, to ligature, to mark; directly or through an
 * extension), the glyphs of each subtable's mark coverage (the first mark coverage for mark to
 * mark), read from the GPOS table's bytes: what `addCoverage` takes from fontkit's parsed
 * subtable, without parsing the rest. undefined for any other lookup, or a subtable format this
 * does not know: the caller then asks fontkit.
 *
 * Why: fontkit parses a lookup whole, and a mark-to-base subtable holds an anchor for every mark
 * and base glyph: 15–40 ms a face in a fresh process, ≈ 5 % of a cold `cahier generate`, for
 * the coverage alone. test/pdf/upstream.test.ts compares the glyphs with fontkit's, lookup by lookup.
 */
export function markCoverages(font: Font, lookupIndex: number): number[][] | undefined {
  const lookup = gposLookup(font, lookupIndex);
  if (!lookup || lookup.subtables.some((sub) => sub.type < 4 || sub.type > 6)) return undefined;
  const { view } = lookup;
  const coverages: number[][] = [];
  for (const { at } of lookup.subtables) {
    // posFormat 1, then the (first) mark coverage's offset, 0 for none (fontkit: null, nothing added).
    if (view.getUint16(at) !== 1) return undefined;
    const offset = view.getUint16(at + 2);
    if (offset === 0) continue;
    const glyphs = rawCoverageGlyphs(view, at + offset);
    if (!glyphs) return undefined;
    coverages.push(glyphs);
  }
  return coverages;
}

/**
 * A GPOS lookup's subtables in the table's bytes: each one's type and where it starts, extension
 * subtables (type 9) resolved to the subtable they point to. undefined when the font's bytes or
 * the lookup are not there.
 */
function gposLookup(font: Font, lookupIndex: number): { view: DataView; subtables: { type: number; at: number }[] } | undefined {
  const table = fontTableBytes(font, 'GPOS');
  if (!table) return undefined;
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const u16 = (at: number) => view.getUint16(at);
  const lookupList = u16(8);
  if (lookupIndex >= u16(lookupList)) return undefined;
  const lookup = lookupList + u16(lookupList + 2 + 2 * lookupIndex);
  const lookupType = u16(lookup);
  const subtables: { type: number; at: number }[] = [];
  for (let i = 0, count = u16(lookup + 4); i < count; i++) {
    const at = lookup + u16(lookup + 6 + 2 * i);
    if (lookupType !== 9) subtables.push({ type: lookupType, at });
    else if (u16(at) === 1) subtables.push({ type: u16(at + 2), at: at + view.getUint32(at + 4) });
    else return undefined;
  }
  return { view, subtables };
}

/**
 * A class pair adjustment subtable (PairPos format 2) read from the bytes, record by record: for
 * each (first class, second class), the first glyph's advance adjustment (`advance`) and whether
 * the record does anything else (`moves`: a placement or vertical value of the first glyph, any
 * value of the second), which is what pairValue takes from fontkit's parsed records. undefined
 * when the subtable is not that, or when its value records carry device tables.
 *
 * Why: fontkit parses each record on first use and builds a parser for each one it reads: in a
 * fresh process that was ≈ 20 ms of a cold `cahier generate`; the whole matrix is 2 bytes a
 * record in DejaVu (≈ 4 000 records a face).
 */
export function classPairMatrix(font: Font, lookupIndex: number, subtableIndex: number): ClassPairMatrix | undefined {
  const lookup = gposLookup(font, lookupIndex);
  const sub = lookup?.subtables[subtableIndex];
  if (!lookup || !sub || sub.type !== 2) return undefined;
  const { view } = lookup;
  const { at } = sub;
  const u16 = (offset: number) => view.getUint16(at + offset);
  const format1 = u16(4);
  const format2 = u16(6);
  if (u16(0) !== 2 || (format1 | format2) & 0xfff0) return undefined;
  const class1Count = u16(12);
  const class2Count = u16(14);
  const size1 = 2 * bitCount(format1);
  const record = size1 + 2 * bitCount(format2);
  const advance = new Int16Array(class1Count * class2Count);
  const moves = new Uint8Array(class1Count * class2Count);
  for (let i = 0, position = at + 16; i < advance.length; i++, position += record) {
    let field = position;
    for (let bit = 1; bit <= 8; bit <<= 1) {
      if (!(format1 & bit)) continue;
      const value = view.getInt16(field);
      field += 2;
      if (bit === 4) advance[i] = value;
      else if (value !== 0) moves[i] = 1;
    }
    for (let offset = size1; offset < record; offset += 2) if (view.getInt16(position + offset) !== 0) moves[i] = 1;
  }
  return { class1Count, class2Count, advance, moves };
}

/** See classPairMatrix: records by first class × class2Count + second class. */
export interface ClassPairMatrix {
  readonly class1Count: number;
  readonly class2Count: number;
  readonly advance: Int16Array;
  readonly moves: Uint8Array;
}

function bitCount(value: number): number {
  let count = 0;
  for (let v = value; v; v &= v - 1) count++;
  return count;
}

/** A Coverage table's glyphs at `at` (format 1: the list; format 2: every glyph of each range), as coverageGlyphs lists them. */
function rawCoverageGlyphs(view: DataView, at: number): number[] | undefined {
  const format = view.getUint16(at);
  const count = view.getUint16(at + 2);
  const ids: number[] = [];
  if (format === 1) {
    for (let i = 0; i < count; i++) ids.push(view.getUint16(at + 4 + 2 * i));
  } else if (format === 2) {
    for (let i = 0; i < count; i++) {
      const record = at + 4 + 6 * i;
      for (let id = view.getUint16(record), end = view.getUint16(record + 2); id <= end; id++) ids.push(id);
    }
  } else {
    return undefined;
  }
  return ids;
}

/**
 * Lookup indexes by feature tag, as fontkit selects them for `script` (the script's entry, else
 * its defaults DFLT, dflt, latn; the default language system; last record of a tag wins); null
 * when fontkit's choice is not certain.
 */
function features(table: LayoutTable, script: KerningScript): Map<string, number[]> | null {
  if (table.featureVariations) return null;
  const entry = [script, 'DFLT', 'dflt', 'latn'].map((tag) => table.scriptList.find((s) => s.tag === tag)).find((s) => s !== undefined);
  const langSys = entry?.script.defaultLangSys;
  const map = new Map<string, number[]>();
  if (!entry) return table.scriptList.length === 0 ? map : null;
  if (!langSys) return map;
  const selected = new Map<string, number[]>();
  for (const featureIndex of langSys.featureIndexes) {
    const record = table.featureList[featureIndex]!;
    selected.set(record.tag, record.feature.lookupListIndexes);
  }
  for (const tag of FEATURES) if (selected.has(tag)) map.set(tag, selected.get(tag)!);
  return map;
}

/** A lookup's subtables, extensions (lookup type `extensionType`) resolved to the subtable they point to. */
function subtables(lookup: Lookup, extensionType: 7 | 9): { type: number; table: Subtable }[] {
  return lookup.subTables.map((table) =>
    lookup.lookupType === extensionType && table.extension && table.lookupType !== undefined ? { type: table.lookupType, table: table.extension } : { type: lookup.lookupType, table },
  );
}

/** Whether a subtable may act on a run of one or two glyphs. */
type Matcher = (run: readonly number[]) => boolean;

/**
 * For subtables that act on some pairs of their glyphs only (ligatures, contexts given as
 * coverage sequences: fontkit's f ligatures and DejaVu's dotless i before a mark), a test of
 * the exact pair, so that "f" or "i" next to other letters need no fontkit call; null for the
 * others (their whole coverage is left to fontkit). Conservative where it simplifies: a rule that
 * may match at either glyph counts, whatever it then does.
 */
function matcherOf(table: Subtable, type: number, tag: 'GSUB' | 'GPOS'): Matcher | null {
  if (tag === 'GSUB' && type === 4 && table.coverage && table.ligatureSets) {
    const covered = lazyCoverage(table.coverage);
    const ligatureSets = table.ligatureSets;
    // A ligature of one component replaces a glyph alone; of two, the first glyph and its follower.
    const startsAt = (glyph: number, next: number | null): boolean => {
      const index = covered().get(glyph);
      if (index === undefined) return false;
      return ligatureSets.get(index).some((l) => l.components.length === 0 || (next !== null && l.components.length === 1 && l.components[0] === next));
    };
    return (run) => run.some((glyph, i) => startsAt(glyph, run[i + 1] ?? null));
  }
  const chaining = tag === 'GSUB' ? type === 6 : type === 8;
  if (chaining && (table.version === 1 || table.version === 2) && table.coverage) return chainRuleMatcher(table);
  const contextual = tag === 'GSUB' ? type === 5 || type === 6 : type === 7 || type === 8;
  if (!contextual || table.version !== 3) return null;
  const backtrack = (table.backtrackCoverage ?? []).map(lazyCoverage);
  const input = (table.coverages ?? table.inputCoverage ?? []).map(lazyCoverage);
  const lookahead = (table.lookaheadCoverage ?? []).map(lazyCoverage);
  if (input.length === 0) return null;
  const sequence = [...backtrack, ...input, ...lookahead];
  // The rule's glyphs (backtrack, input, look-ahead) laid over the run at each place they fit.
  return (run) => {
    for (let at = 0; at < run.length; at++) {
      const start = at - backtrack.length;
      if (start < 0 || start + sequence.length > run.length) continue;
      if (sequence.every((coverage, i) => coverage().has(run[start + i]!))) return true;
    }
    return false;
  };
}

/**
 * Chaining rules given as glyph sequences (format 1) or class sequences (format 2), as fontkit
 * matches them: from a covered glyph, its rule set (by coverage index, or by input class), each
 * rule's backtrack, input and look-ahead compared with the glyphs before and after.
 */
function chainRuleMatcher(table: Subtable): Matcher {
  const covered = lazyCoverage(table.coverage!);
  const byClass = table.version === 2;
  const same = (rule: number, glyph: number, classDef: ClassDef | undefined): boolean => (byClass ? classOf(glyph, classDef!) === rule : rule === glyph);
  const matchesAt = (run: readonly number[], at: number): boolean => {
    const index = covered().get(run[at]!);
    if (index === undefined) return false;
    const rules = byClass ? table.chainClassSet![classOf(run[at]!, table.inputClassDef!)] : table.chainRuleSets![index];
    if (!rules) return false;
    return rules.some((rule) => {
      const start = at - rule.backtrack.length;
      if (start < 0 || at + 1 + rule.input.length + rule.lookahead.length > run.length) return false;
      return (
        rule.backtrack.every((r, i) => same(r, run[start + i]!, table.backtrackClassDef)) &&
        rule.input.every((r, i) => same(r, run[at + 1 + i]!, table.inputClassDef)) &&
        rule.lookahead.every((r, i) => same(r, run[at + 1 + rule.input.length + i]!, table.lookaheadClassDef))
      );
    });
  };
  return (run) => run.some((_, at) => matchesAt(run, at));
}

function once<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) (value = make()), (made = true);
    return value;
  };
}

function lazyCoverage(coverage: Coverage): () => Map<number, number> {
  let map: Map<number, number> | null = null;
  return () => (map ??= coverageIndexes(coverage));
}

/** Adds to `into` every glyph a subtable may act on or start from; false for a subtable it does not know. */
function addCoverage(into: Set<number>, table: Subtable, type: number, tag: 'GSUB' | 'GPOS'): boolean {
  const covers: (Coverage | undefined)[] = [];
  const contextual = tag === 'GSUB' ? type === 5 || type === 6 : type === 7 || type === 8;
  if (tag === 'GPOS' && (type === 4 || type === 5)) covers.push(table.markCoverage);
  else if (tag === 'GPOS' && type === 6) covers.push(table.mark1Coverage);
  else if (contextual) covers.push(table.coverage, ...(table.coverages ?? []), ...(table.inputCoverage ?? []));
  else if ((tag === 'GSUB' && type >= 1 && type <= 8) || (tag === 'GPOS' && type >= 1 && type <= 3)) covers.push(table.coverage);
  else return false;
  if (covers.every((c) => c === undefined)) return false;
  for (const coverage of covers) if (coverage) for (const id of coverageGlyphs(coverage)) into.add(id);
  return true;
}

function coverageGlyphs(coverage: Coverage): number[] {
  if (coverage.version === 1) return coverage.glyphs;
  const ids: number[] = [];
  for (const range of coverage.rangeRecords) for (let id = range.start; id <= range.end; id++) ids.push(id);
  return ids;
}

/** Coverage index of each covered glyph, as fontkit's coverageIndex finds it (first match). */
function coverageIndexes(coverage: Coverage): Map<number, number> {
  const map = new Map<number, number>();
  if (coverage.version === 1) coverage.glyphs.forEach((id, i) => map.has(id) || map.set(id, i));
  else for (const range of coverage.rangeRecords) for (let id = range.start; id <= range.end; id++) if (!map.has(id)) map.set(id, range.startCoverageIndex + id - range.start);
  return map;
}

function classOf(glyph: number, classDef: ClassDef): number {
  if (classDef.version === 1) {
    const i = glyph - classDef.startGlyph;
    return i >= 0 && i < classDef.classValueArray.length ? classDef.classValueArray[i]! : 0;
  }
  for (const range of classDef.classRangeRecord) if (range.start <= glyph && range.end >= glyph) return range.class;
  return 0;
}

/**
 * What a PairPos subtable does to (first, second): undefined when it does not match (fontkit
 * tries the next subtable), the first glyph's advance adjustment when it only changes that,
 * null when it moves a glyph otherwise.
 */
function pairValue(sub: PairSubtable, first: number, second: number): number | null | undefined {
  const { table } = sub;
  const index = sub.covered().get(first);
  if (index === undefined) return undefined;
  let pair: { value1?: ValueRecord; value2?: ValueRecord } | undefined;
  if (table.version === 1) {
    let set = sub.sets.get(index);
    if (!set) {
      set = new Map();
      // The first record for a second glyph wins, as in fontkit's loop.
      for (const record of table.pairSets!.get(index)) if (!set.has(record.secondGlyph)) set.set(record.secondGlyph, record);
      sub.sets.set(index, set);
    }
    pair = set.get(second);
    if (pair === undefined) return undefined;
  } else if (table.version === 2) {
    const class1 = classOf(first, table.classDef1!);
    const class2 = classOf(second, table.classDef2!);
    const matrix = sub.matrix();
    if (matrix) {
      if (class1 >= matrix.class1Count || class2 >= matrix.class2Count) return null;
      const record = class1 * matrix.class2Count + class2;
      return matrix.moves[record] ? null : matrix.advance[record]!;
    }
    pair = table.classRecords!.get(class1)?.get(class2);
    if (pair === undefined) return null;
  } else {
    return null;
  }
  const { value1, value2 } = pair;
  if (value1 && (value1.xPlacement || value1.yPlacement || value1.yAdvance)) return null;
  if (value2 && (value2.xPlacement || value2.yPlacement || value2.xAdvance || value2.yAdvance)) return null;
  return value1?.xAdvance ?? 0;
}
