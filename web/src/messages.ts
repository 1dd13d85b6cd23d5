import { ApiError, type RenderingFailureCause } from './api.ts';

/** The API speaks English in its problem details; people read French. */
export function problemMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Une erreur inattendue est survenue. Réessayez ; si elle persiste, rechargez la page.';
  const ref = error.problem.requestId ? ` (référence : ${error.problem.requestId})` : '';
  switch (error.status) {
    case 0:
      return 'Le serveur ne répond pas. Vérifiez votre connexion puis réessayez.';
    case 401:
      return 'Votre session a expiré : reconnectez-vous.';
    case 403:
      return 'Votre compte n’a pas les droits nécessaires pour cette action.';
    case 404:
      return 'Élément introuvable : il a peut-être été supprimé, ou l’adresse est incorrecte.';
    case 409:
      return `Conflit : ${translateDetail(error.problem.detail ?? '')}`;
    case 412:
      return 'Quelqu’un d’autre a enregistré une nouvelle version entre-temps.';
    case 413:
      return 'La demande est trop volumineuse.';
    case 422:
      if (error.problem.type.endsWith('rules-blocked')) return 'Des erreurs bloquantes empêchent la génération : corrigez-les (voir le panneau des constats).';
      if (error.problem.type.endsWith('idempotency-key-reused')) return 'Cette génération a déjà été demandée avec un autre contenu : relancez-la.';
      return 'Certains champs sont à corriger.';
    case 503:
      return `Le service est momentanément indisponible. Réessayez dans quelques secondes${ref}.`;
    default:
      return `Erreur inattendue du serveur${ref}.`;
  }
}

function translateDetail(detail: string): string {
  const drafts = /keeps at most (\d+) drafts/.exec(detail);
  if (drafts) return `vous avez déjà ${drafts[1]} brouillons enregistrés, le maximum : supprimez-en un dans « Mes brouillons ».`;
  if (/already (published|exists)/i.test(detail)) return 'cette version existe déjà (quelqu’un l’a publiée avant vous).';
  return detail;
}

/** A field problem from the API's schema validation, in French. */
export function fieldMessage(message: string): string {
  let m: RegExpExecArray | null;
  if (/expected string to have >=1 characters|received undefined|expected string, received/.test(message)) return 'Ce champ est obligatoire.';
  if ((m = /expected string to have <=(\d+) characters/.exec(message))) return `${m[1]} caractères au maximum.`;
  if ((m = /expected string to have >=(\d+) characters/.exec(message))) return `${m[1]} caractères au minimum.`;
  if (/expected number to be >0/.test(message)) return 'Doit être supérieur à zéro.';
  if ((m = /expected number to be >=(-?[\d.]+)/.exec(message))) return `Doit être au moins ${m[1]!.replace('.', ',')}.`;
  if ((m = /expected number to be <=(-?[\d.]+)/.exec(message))) return `Doit être au plus ${m[1]!.replace('.', ',')}.`;
  if (/expected int/.test(message)) return 'Nombre entier attendu.';
  if (/expected number/.test(message)) return 'Nombre attendu.';
  if (/Invalid ISO datetime/.test(message)) return 'Date et heure invalides.';
  if (/Invalid ISO date/.test(message)) return 'Date invalide.';
  if (/a SIRET is 14 digits/.test(message)) return 'Un SIRET compte 14 chiffres, sans espace.';
  if (/SIRET’s check digit is wrong/.test(message)) return 'Ce SIRET n’existe pas : sa clé de contrôle est fausse. Vérifiez-le sur annuaire-entreprises.data.gouv.fr.';
  if (/an INSEE commune code is 5 characters/.test(message)) return 'Code INSEE attendu : 5 caractères, des chiffres (2A ou 2B puis 3 chiffres en Corse), par exemple 26362.';
  if (/Invalid option/.test(message)) return 'Choisissez une valeur de la liste.';
  if (/a lot needs an offer or at least one item/.test(message)) return 'Choisissez une offre ou au moins un équipement.';
  if (/one override per criterion/.test(message)) return 'Une seule modification par critère et par lot.';
  if (/min must not exceed max/.test(message)) return 'Le minimum ne doit pas dépasser le maximum.';
  if (/value must be one of options/.test(message)) return 'La valeur doit figurer parmi les options.';
  if (/options must be unique/.test(message)) return 'Les options doivent être différentes.';
  if (/control characters/.test(message)) return 'Caractères de contrôle interdits.';
  if (/Too small: expected array to have >=1/.test(message)) return 'Au moins un élément est requis.';
  if (/expected a UAI code/.test(message)) return 'Code UAI attendu : 7 chiffres puis une lettre majuscule, par exemple 0050012A.';
  if (/a line has one quantity/.test(message)) return 'Indiquez la quantité de la ligne.';
  if (/a line without itemId states its designation/.test(message)) return 'Indiquez la désignation de la ligne.';
  if (/a line without itemId states its unit/.test(message)) return 'Indiquez l’unité de la ligne.';
  if (/a line without itemId states its cpv/.test(message)) return 'Indiquez le code CPV de la ligne.';
  if (/a line split by site delivers at least one unit/.test(message)) return 'Indiquez une quantité pour au moins un établissement.';
  if (/a visit states its dates or how to book one/.test(message)) return 'Indiquez les dates de visite ou comment en réserver une.';
  if (/an adjustable or revisable price names its index/.test(message)) return 'Nommez l’indice que suit le prix.';
  if (/a start is a date or an event/.test(message)) return 'Indiquez la date ou l’événement de début.';
  if (/state the deadline or the condition to affirm the tranche/.test(message)) return 'Indiquez le délai ou la condition d’affermissement.';
  if (/training hours follow the teachers/.test(message)) return 'Renseignez le nombre d’enseignants des établissements du lot.';
  if (/no tablet or computer in this lot to count/.test(message)) return 'Aucune tablette ni ordinateur dans ce lot : la quantité ne peut pas en découler.';
  if (/the lot’s sites have no teachers to count/.test(message)) return 'Les établissements du lot n’ont pas d’enseignants renseignés.';
  if (/the minimum (quantity )?exceeds the maximum/.test(message)) return 'Le minimum dépasse le maximum.';
  if (/expected a CPV|CPV code/.test(message)) return 'Code CPV attendu, par exemple 30213200-7.';
  if (/unknown site/.test(message)) return 'Établissement inconnu : il a été retiré de la liste.';
  if (/unknown (criterion|item|offer|framework)/i.test(message)) return `Référence inconnue du référentiel : ${message.replace(/^unknown \w+\s*/i, '')}`;
  return `Valeur refusée (${message}).`;
}

/**
 * Why the Word and Excel files of a tender could not be produced, in French, from the failure's
 * cause: the API's reason is English and written for operators, so it is never shown.
 */
export function renderingFailureMessage(cause: RenderingFailureCause | undefined): string {
  switch (cause) {
    case 'invalid':
      return 'Les documents n’ont pas pu être produits : la demande enregistrée n’est plus acceptée par les règles en vigueur. Corrigez-la dans l’assistant, puis relancez la génération.';
    case 'stalled':
      return 'La préparation des documents n’a pas abouti dans le délai prévu. Relancez la génération.';
    case 'not-queued':
      return 'La préparation des documents n’a pas pu être lancée. Relancez la génération dans quelques instants.';
    default:
      return 'Les documents n’ont pas pu être produits à la suite d’une erreur du service. Relancez la génération ; si l’erreur persiste, signalez-la avec l’adresse de cette consultation.';
  }
}
