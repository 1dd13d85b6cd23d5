/**
 * The item and offer fields a change shows, with their French names: the changelogs (Markdown and
 * PDF) and the editors' publication preview alike. No import, so the web app can take it whole.
 */
export const ITEM_FIELDS: Readonly<Record<string, string>> = {
  label: 'Intitulé',
  description: 'Description',
  category: 'Catégorie',
  nature: 'Nature',
  unit: 'Unité',
  cpv: 'Code CPV',
  audience: 'Destinataires',
  criteria: 'Critères applicables',
};

export const OFFER_FIELDS: Readonly<Record<string, string>> = {
  label: 'Intitulé',
  description: 'Description',
  items: 'Composition',
};
