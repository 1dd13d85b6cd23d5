/**
 * CPV codes (Common Procurement Vocabulary, Regulation (EC) 213/2008) printed one way: eight digits,
 * a hyphen and the check digit (« 30213200-7 »), DOMAIN.md C17. The check digit's algorithm is not
 * published with the regulation, so the digits are data: the codes Cahier's catalogue and examples
 * use, each with its digit as public CPV listings print it (DOMAIN.md § 7 names the sources of most;
 * 30237000-9, 32322000-6, 39134000-0, 39150000-8, 45315000-8 and 48000000-8 were read in public
 * procurement code listings). A code given with a check digit that contradicts this table is
 * refused; an eight-digit code the table knows is printed with its digit; any other is printed as
 * the buyer gave it.
 */
const CHECK_DIGITS: Readonly<Record<string, number>> = {
  '30200000': 1, // Matériel et fournitures informatiques
  '30210000': 4, // Machines de traitement de données (matériel)
  '30213000': 5, // Ordinateurs personnels
  '30213100': 6, // Ordinateurs portables
  '30213200': 7, // Tablette PC
  '30213300': 8, // Ordinateur de bureau
  '30231320': 6, // Moniteurs à écran tactile
  '30237000': 9, // Pièces, accessoires et fournitures pour ordinateurs
  '30237200': 1, // Accessoires informatiques
  '32322000': 6, // Équipements multimédia
  '32400000': 7, // Réseaux
  '32420000': 3, // Matériel de réseau
  '32424000': 1, // Infrastructure de réseau
  '38652120': 7, // Vidéoprojecteurs
  '39134000': 0, // Mobilier informatique
  '39150000': 8, // Mobilier et équipements divers
  '45315000': 8, // Travaux d'installation électrique de chauffage et d'autres équipements électriques des bâtiments
  '48000000': 8, // Logiciels et systèmes d'information
  '48190000': 6, // Logiciels éducatifs
  '48780000': 9, // Logiciels de gestion de systèmes, de stockage et de contenu
  '48820000': 2, // Serveurs
  '48821000': 9, // Serveurs de réseau
  '50312000': 5, // Maintenance et réparation de matériel informatique
  '51611100': 9, // Services d'installation de matériel informatique
  '72212190': 7, // Services de développement de logiciels éducatifs
  '72253000': 3, // Services d'assistance et de soutien
  '72500000': 0, // Services informatiques
  '80420000': 4, // Services d'e-learning
  '80533000': 9, // Services de familiarisation et de formation des utilisateurs d'ordinateurs
  '80533100': 0, // Services de formation en informatique
};

/** The check digit the table records for an eight-digit code, if any. */
export function cpvCheckDigit(code: string): number | undefined {
  return CHECK_DIGITS[code.slice(0, 8)];
}

/** Why a code's check digit is wrong (it contradicts the table), or undefined. */
export function cpvCheckDigitIssue(code: string): string | undefined {
  const match = /^(\d{8})-(\d)$/.exec(code);
  if (!match) return undefined;
  const known = cpvCheckDigit(match[1]!);
  return known === undefined || known === Number(match[2]) ? undefined : `the check digit of CPV ${match[1]} is ${known}: "${match[1]}-${known}"`;
}

/** « 30213200-7 » from "30213200" or "30213200-7"; an eight-digit code the table does not know stays as given. */
export function formatCpv(code: string): string {
  if (code.includes('-')) return code;
  const digit = cpvCheckDigit(code);
  return digit === undefined ? code : `${code}-${digit}`;
}
