/**
 * The administrative court whose territory covers a département, transcribed from the Code de
 * justice administrative, art. R221-3 (law record `texts.administrative-courts`), as in force since
 * 9 November 2015. Disputes over a contract go to the tribunal administratif where the buyer sits
 * unless the contract says otherwise; the CCAP names it from the buyer's postcode.
 */
const SEATS: Record<string, readonly string[]> = {
  Amiens: ['02', '60', '80'],
  Bastia: ['2A', '2B'],
  Besançon: ['25', '39', '70', '90'],
  Bordeaux: ['24', '33', '47'],
  Caen: ['14', '50', '61'],
  'Cergy-Pontoise': ['92', '95'],
  'Châlons-en-Champagne': ['08', '10', '51', '52'],
  'Clermont-Ferrand': ['03', '15', '43', '63'],
  Dijon: ['21', '58', '71', '89'],
  Grenoble: ['26', '38', '73', '74'],
  Lille: ['59', '62'],
  Limoges: ['19', '23', '36', '87'],
  Lyon: ['01', '07', '42', '69'],
  Marseille: ['04', '05', '13'],
  Melun: ['77', '94'],
  Montpellier: ['11', '34', '66'],
  Montreuil: ['93'],
  Nancy: ['54', '55', '88'],
  Nantes: ['44', '49', '53', '72', '85'],
  Nice: ['06'],
  Nîmes: ['30', '48', '84'],
  Orléans: ['18', '28', '37', '41', '45'],
  Paris: ['75'],
  Pau: ['32', '40', '64', '65'],
  Poitiers: ['16', '17', '79', '86'],
  Rennes: ['22', '29', '35', '56'],
  Rouen: ['27', '76'],
  Strasbourg: ['57', '67', '68'],
  Toulon: ['83'],
  Toulouse: ['09', '12', '31', '46', '81', '82'],
  Versailles: ['78', '91'],
};

/** Overseas courts are named after their territory (R221-1), not their seat. */
const OVERSEAS: Record<string, string> = {
  '971': 'Tribunal administratif de la Guadeloupe',
  '972': 'Tribunal administratif de la Martinique',
  '973': 'Tribunal administratif de la Guyane',
  '974': 'Tribunal administratif de La Réunion',
  '976': 'Tribunal administratif de Mayotte',
};

const ELISION = /^[AEIOUYÉÈÊÂÎÔH]/;

const BY_DEPARTMENT: ReadonlyMap<string, string> = new Map(
  Object.entries(SEATS).flatMap(([seat, departments]) =>
    departments.map((d): [string, string] => [d, `Tribunal administratif ${ELISION.test(seat) ? 'd’' : 'de '}${seat}`]),
  ),
);

/** The metropolitan départements the table covers (96). */
export const DEPARTMENTS_COVERED = [...BY_DEPARTMENT.keys()];

/** Département of a French postcode: « 26420 » → « 26 », « 20000 » → « 2A », « 97400 » → « 974 ». */
export function departmentOfPostcode(postcode: string): string | undefined {
  if (!/^\d{5}$/.test(postcode)) return undefined;
  if (postcode.startsWith('97')) return postcode.slice(0, 3);
  if (postcode.startsWith('20')) return Number(postcode.slice(2, 3)) <= 1 ? '2A' : '2B';
  return postcode.slice(0, 2);
}

/** The court competent for an address: its last five-digit group read as the postcode; undefined when none is found. */
export function administrativeCourtOf(address: string | undefined): string | undefined {
  const postcode = address?.match(/\b\d{5}\b/g)?.at(-1);
  const department = postcode === undefined ? undefined : departmentOfPostcode(postcode);
  if (department === undefined) return undefined;
  return OVERSEAS[department] ?? BY_DEPARTMENT.get(department);
}
