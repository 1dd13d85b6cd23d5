import type { TenderRequest } from '#src/core/model/tender-request.ts';

/** The article of the usual first words of a public buyer's name, for when the request gives none. */
const ARTICLES: Record<string, 'le' | 'la' | 'l’' | 'les'> = {
  académie: 'l’',
  agence: 'l’',
  centre: 'le',
  collectivité: 'la',
  collège: 'le',
  commune: 'la',
  communauté: 'la',
  conseil: 'le',
  département: 'le',
  direction: 'la',
  établissement: 'l’',
  groupement: 'le',
  lycée: 'le',
  mairie: 'la',
  métropole: 'la',
  ministère: 'le',
  région: 'la',
  syndicat: 'le',
  ugap: 'l’',
  union: 'l’',
  université: 'l’',
  ville: 'la',
};

/**
 * The buyer as a sentence names it: « la Commune de Saint-Julien-des-Combes », « le Département
 * de la Haute-Vallée », « l’UGAP »; the name alone when no article is given or known.
 */
export function buyerDesignation(buyer: Pick<TenderRequest['buyer'], 'name' | 'article'>): string {
  const first = buyer.name.split(/[\s’']/u)[0]!.toLocaleLowerCase('fr-FR');
  const article = buyer.article ?? ARTICLES[first];
  if (article === undefined) return buyer.name;
  return article === 'l’' ? `l’${buyer.name}` : `${article} ${buyer.name}`;
}
