import { productIssueMessage } from './product-file.ts';

const METRICS: Record<string, string> = { numeric: 'numérique', range: 'intervalle', boolean: 'oui/non', enum: 'liste', text: 'texte' };
const COLUMNS: Record<string, string> = { unite: 'unité', operateur: 'opérateur', seuil: 'seuil', 'seuil-max': 'maximum', options: 'options' };

/**
 * The import's reasons (English, in the API) as the ministry's editor reads them, in French; the
 * workbook reader's own reasons as the product sheets say them.
 */
export function criteriaIssueMessage(message: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^expected a number, found « (.*) »$/.exec(message))) return `un nombre est attendu, la cellule contient « ${m[1]} ».`;
  if ((m = /^required for an? (\w+) metric$/.exec(message))) return `obligatoire pour une métrique ${METRICS[m[1]!] ?? m[1]}.`;
  if ((m = /^an? (\w+) metric has no ([\w-]+): leave the cell empty$/.exec(message))) return `une métrique ${METRICS[m[1]!] ?? m[1]} n’a pas de ${COLUMNS[m[2]!] ?? m[2]} : laissez la cellule vide.`;
  if (/^unknown unit/.test(message)) return 'unité inconnue : choisissez-la dans la liste de la colonne.';
  if ((m = /^unknown proof « (.*?) »/.exec(message))) return `justificatif inconnu « ${m[1]} » : séparez par des virgules les codes de la liste (datasheet, certificate…).`;
  if (/^expected oui or non$/.test(message)) return '« oui » ou « non » attendu.';
  if (/^expected one of /.test(message)) return 'choisissez une valeur de la liste de la colonne.';
  if ((m = /^(\S+) is not a criterion of (\S+)/.exec(message))) return `${m[1]} n’est pas un critère de ${m[2]} : le classeur modifie les critères existants.`;
  if ((m = /^(\S+) is already on row (\d+)$/.exec(message))) return `${m[1]} figure déjà ligne ${m[2]}.`;
  if ((m = /^expected \{seuil\} exactly once.*\(found (\d+)\)$/.exec(message))) return `le texte doit contenir {seuil} une fois, là où se lit le seuil (trouvé ${m[1]} fois).`;
  if ((m = /^the text states (.+?), a number its metric holds/.exec(message))) return `le texte écrit ${m[1]}, un nombre que porte la métrique : écrivez {seuil} à sa place.`;
  if ((m = /^the text states "(.+?)", an option of its metric/.exec(message))) return `le texte écrit « ${m[1]} », une option de la métrique : écrivez {seuil} à sa place.`;
  if ((m = /^unknown placeholder "(.+?)"/.exec(message))) return `espace réservé inconnu « ${m[1]} » : le seul est {seuil}.`;
  if ((m = /^(\S+) is at version (\d+) since the export \(the row names (\d+)\)/.exec(message))) return `${m[1]} est passé à la version ${m[2]} depuis l’export (la ligne nomme la version ${m[3]}).`;
  if (/hidden identification is missing/.test(message)) return 'ce classeur n’est pas un export des critères de Cahier : exportez-le depuis cette page.';
  if ((m = /^the sheet lists the criteria of framework (\S+), not of (\S+)/.exec(message))) return `ce classeur liste les critères du référentiel ${m[1]}, pas de ${m[2]}.`;
  if ((m = /^column (\d+) should be « (.*) »/.exec(message))) return `la colonne ${m[1]} doit rester « ${m[2]} » : ne modifiez pas les colonnes du classeur exporté.`;
  return productIssueMessage(message);
}
