/**
 * Brand and model names in buyer-written text (CCP R2111-7): a spec may name a brand, a model or
 * a proprietary system only exceptionally, and then with the words « ou équivalent ».
 *
 * Detection is a curated list of names common in the digital-education market, matched on word
 * boundaries (letters and digits on either side break a match, so "Dellac" or "surfaces" never
 * match), plus a generic « marque X » / « modèle X » pattern. Choices about ambiguous words:
 *
 * - Most names are matched whatever their case: they are not French words ("samsung", "IPAD").
 * - Words that are also ordinary French or common abbreviations are matched only in their brand
 *   spelling and context:
 *   - "Surface" only as "Surface Pro|Go|Laptop|Book|Studio|Hub" (or after "Microsoft", which is
 *     flagged anyway); "surface de la salle" is the noun. A bare "Surface" in a list of models is
 *     not detected: the list is then expected to carry other names that are.
 *   - "HP" only in capitals and not as the usual abbreviation of haut-parleur ("2 HP", "HP intégrés").
 *   - "Bic" only with that exact capitalisation ("bic" is the generic noun, "BIC" the bank code).
 *   - "Intel", "AMD", "Acer", "Aruba", "Galaxy", "iOS", "Canon" are matched case-sensitively.
 * - Operating systems are brands: "Windows", "Android", "iPadOS", "iOS", "macOS", "ChromeOS".
 *   Requiring one excludes the others, so an OS requirement is flagged like any brand unless the
 *   text says « ou équivalent » (or is rewritten as functional requirements). "Windows" is matched
 *   with a capital W only: the lower-case English word is not an OS name.
 */

interface BrandPattern {
  pattern: string;
  caseSensitive?: boolean;
}

const B = '(?<![\\p{L}\\p{N}_])';
const E = '(?![\\p{L}\\p{N}_])';

const BRANDS: readonly BrandPattern[] = [
  // Apple
  { pattern: 'Apple\\s+Pencil' },
  { pattern: 'Apple\\s+TV' },
  { pattern: 'Apple' },
  { pattern: 'iPad\\s*OS' },
  { pattern: 'iPad(?:\\s+(?:Air|Pro|mini))?' },
  { pattern: 'iPhone' },
  { pattern: 'MacBook(?:\\s+(?:Air|Pro))?' },
  { pattern: 'iMac' },
  { pattern: 'macOS' },
  { pattern: 'iOS', caseSensitive: true },
  { pattern: 'AirPlay' },
  { pattern: 'Apple\\s+School\\s+Manager' },
  // Samsung, Google, Microsoft
  { pattern: 'Samsung(?:\\s+Galaxy(?:\\s+Tab)?)?' },
  { pattern: 'Galaxy(?:\\s+Tab)?', caseSensitive: true },
  { pattern: 'Google(?:\\s+(?:Workspace|Classroom|Chrome))?' },
  { pattern: 'Chromebook' },
  { pattern: 'Chrome\\s*OS' },
  { pattern: 'Android' },
  { pattern: 'Microsoft(?:\\s+(?:Surface|Intune|365|Teams))?' },
  { pattern: 'Surface\\s+(?:Pro|Go|Laptop|Book|Studio|Hub)', caseSensitive: true },
  { pattern: '(?:Windows|WINDOWS)(?:\\s+(?:1[01]|Pro|Education|Éducation))?', caseSensitive: true },
  { pattern: 'Office\\s+365', caseSensitive: true },
  { pattern: 'Intune' },
  // PC makers
  { pattern: 'Lenovo' },
  { pattern: 'ThinkPad' },
  { pattern: 'IdeaPad' },
  { pattern: 'Hewlett[\\s-]+Packard' },
  // "HP" in capitals, but not "2 HP" nor "HP intégré(s)" / "HP INTÉGRÉS" (haut-parleurs).
  { pattern: '(?<!\\d\\s?)HP(?!\\s+(?:int[ée]gr|INT[ÉE]GR))', caseSensitive: true },
  { pattern: 'EliteBook' },
  { pattern: 'ProBook' },
  { pattern: 'Dell' },
  { pattern: 'Acer', caseSensitive: true },
  { pattern: 'Asus' },
  { pattern: 'Toshiba' },
  { pattern: 'Dynabook' },
  { pattern: 'Fujitsu' },
  { pattern: 'Huawei' },
  { pattern: 'Xiaomi' },
  { pattern: 'Unowhy' },
  { pattern: 'Sqool' },
  // processors
  { pattern: 'Intel(?:\\s+Core(?:\\s+i[3579])?)?', caseSensitive: true },
  { pattern: 'Core\\s+i[3579]', caseSensitive: true },
  { pattern: 'AMD(?:\\s+Ryzen)?', caseSensitive: true },
  { pattern: 'Ryzen' },
  { pattern: 'Snapdragon' },
  // displays, projectors, peripherals
  { pattern: 'Logitech' },
  { pattern: 'Epson' },
  { pattern: 'BenQ' },
  { pattern: 'Promethean(?:\\s+ActivPanel)?' },
  { pattern: 'ActivPanel' },
  { pattern: 'Speechi' },
  { pattern: 'SMART\\s+(?:Board|Notebook)' },
  { pattern: 'ViewSonic' },
  { pattern: 'Optoma' },
  { pattern: 'Hisense' },
  { pattern: 'Canon', caseSensitive: true },
  { pattern: 'Wacom' },
  { pattern: 'Bic', caseSensitive: true },
  { pattern: 'Kensington' },
  { pattern: 'Belkin' },
  { pattern: 'Targus' },
  { pattern: 'Otterbox' },
  { pattern: 'LocknCharge' },
  // device management and network
  { pattern: 'Jamf(?:\\s+(?:School|Pro))?' },
  { pattern: 'Cisco(?:\\s+Meraki)?' },
  { pattern: 'Meraki' },
  { pattern: 'Aruba', caseSensitive: true },
  { pattern: 'Ubiquiti' },
  { pattern: 'UniFi' },
  { pattern: 'Ruckus' },
  { pattern: 'Netgear' },
  { pattern: 'TP[\\s-]?Link' },
  { pattern: 'D[\\s-]?Link' },
  { pattern: 'Fortinet' },
  { pattern: 'FortiGate' },
  { pattern: 'Stormshield' },
  { pattern: 'Zyxel' },
  { pattern: 'Synology' },
  { pattern: 'QNAP' },
];

/** Each brand's own expression, compiled the first time a text may name a brand. */
let compiled: readonly RegExp[] | undefined;
export function brandExpressions(): readonly RegExp[] {
  compiled ??= BRANDS.map((b) => new RegExp(`${B}(?:${b.pattern})${E}`, b.caseSensitive ? 'gu' : 'giu'));
  return compiled;
}

/**
 * Every brand in two expressions, one per case rule, between the same word boundaries: together
 * they match wherever one of the expressions above could, so a text they do not match names no
 * known brand. Most texts name none, and two scans are cheaper than one per brand (compiling the
 * per-brand expressions cost ≈ 0.2 s at a process's first generation). The boundaries matter:
 * without them « scénarios » (iOS), « intelligent » (Intel) or « placer » (Acer) sent most French
 * texts through every per-brand scan, ≈ 7 ms a tender. The case rule matters too: read without
 * its case, « HP » followed by « Intégrés » meets the haut-parleur exception, which is written in
 * lower case or in capitals.
 */
const ANY_BRAND = [false, true].map((caseSensitive) => {
  const patterns = BRANDS.filter((b) => (b.caseSensitive ?? false) === caseSensitive).map((b) => `(?:${b.pattern})`);
  return new RegExp(`${B}(?:${patterns.join('|')})${E}`, caseSensitive ? 'u' : 'iu');
});

/** False only when no expression of `brandExpressions()` can match in `text`. */
export function mayNameBrand(text: string): boolean {
  return ANY_BRAND.some((re) => re.test(text));
}

/**
 * « marque X », « de marque X », « modèle X », « modèle de type X » where X starts with a capital:
 * a name the list above does not know. Certification marks and labels are not brands.
 */
const GENERIC = new RegExp(
  `${B}(?:[Mm]arque|[Mm]od[èe]le)\\s+(?:de\\s+type\\s+|type\\s+)?[«"“]?\\s*(\\p{Lu}[\\p{L}\\p{N}+-]*(?:\\s+\\p{Lu}[\\p{L}\\p{N}+-]*)*)`,
  'gu',
);
const NOT_BRANDS = new Set(['CE', 'NF', 'UE', 'EU', 'TCO', 'EPEAT', 'Ecolabel', 'Écolabel', 'Energy', 'Star', 'Ange', 'Blue']);

/** « ou équivalent », « ou équivalente(s) », « ou tout équivalent », with or without the accent. */
const EQUIVALENT = /(?<![\p{L}\p{N}_])ou\s+(?:tout\s+|toute\s+|son\s+|sa\s+|leur\s+)?[ée]quivalent(?:e|s|es)?(?![\p{L}\p{N}_])/iu;

export function mentionsEquivalent(text: string): boolean {
  return EQUIVALENT.test(text);
}

interface Match {
  start: number;
  end: number;
  name: string;
}

/**
 * The brand and model names found in `text`, in order of appearance, each once; overlapping
 * matches keep the longest ("Apple Pencil", not "Apple").
 */
export function findBrands(text: string): string[] {
  const matches: Match[] = [];
  if (mayNameBrand(text)) {
    for (const re of brandExpressions()) {
      for (const m of text.matchAll(re)) {
        matches.push({ start: m.index, end: m.index + m[0].length, name: m[0] });
      }
    }
  }
  for (const m of text.matchAll(GENERIC)) {
    const name = m[1];
    if (name === undefined) continue;
    const firstWord = name.split(/\s+/)[0] ?? name;
    if (NOT_BRANDS.has(firstWord)) continue;
    const start = m.index + m[0].length - name.length;
    matches.push({ start, end: start + name.length, name });
  }
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Match[] = [];
  for (const m of matches) {
    const last = kept[kept.length - 1];
    if (last !== undefined && m.start < last.end) continue;
    kept.push(m);
  }
  const names: string[] = [];
  for (const m of kept) {
    const name = m.name.replace(/\s+/g, ' ');
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Brands named without « ou équivalent » anywhere in the same text; empty when the text is fine. */
export function brandsWithoutEquivalent(text: string): string[] {
  const brands = findBrands(text);
  return brands.length === 0 || mentionsEquivalent(text) ? [] : brands;
}
