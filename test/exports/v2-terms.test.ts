/**
 * What a v2 request states about the contract and each lot reaches the bidder documents in plain
 * French, in the CCTP and the RC alike: renewals with their length and kind, tranches and
 * how the optional one is affirmed, the price type and index, computed quantities, cart slots for
 * the largest fleet of a site, visits, and existing equipment as compatibility requirements.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { contractFormLabel } from '#src/core/documents/labels.ts';
import { formatDate } from '#src/core/model/format.ts';
import { pdfText } from '../support/pdf-text.ts';
import { generateFrom, v2Example } from '../support/pipeline.ts';
import { sharedDeps } from './support/models.ts';

const fold = (s: string) => s.replace(/\s+/g, ' ');

async function texts(name: 'departement' | 'commune') {
  const generated = await generateFrom(v2Example(name), await sharedDeps(), ['pdf', 'rc']);
  const text = async (file: string) => fold(await pdfText(generated.documents.find((d) => d.name === file)!.content));
  return { cctp: await text('cctp.pdf'), rc: await text('rc.pdf') };
}

describe('the département’s three-lot accord-cadre', () => {
  const request = v2Example('departement');
  let docs: { cctp: string; rc: string };
  beforeAll(async () => {
    docs = await texts('departement');
  });

  it('states the framework type, the renewals with their length and kind, the total duration and the revisable price’s index in both documents', () => {
    const { count, months } = request.contract.renewals;
    for (const text of [docs.cctp, docs.rc]) {
      expect(text).toContain('Forme : Accord-cadre à bons de commande, attribué à un seul titulaire.');
      expect(text).toContain(`Reconduction : ${count} fois, pour ${months} mois chaque fois, sur décision expresse de l’acheteur`);
      expect(text).toContain(`durée totale, reconductions comprises : ${request.contract.durationMonths + count * months} mois au plus`);
      expect(text).toContain(fold(`Prix révisables selon l’indice suivant : ${request.contract.price.index}`));
    }
  });

  it('says how computed quantities come about and sizes the carts for the collège with the most tablets', () => {
    const tablets = request.lots[0].items[0].sites as Record<string, number>;
    const carts = request.lots[0].items[1].sites as Record<string, number>;
    const total = Object.values(tablets).reduce((a, b) => a + b, 0);
    expect(docs.cctp).toContain(`une par tablette ou ordinateur du lot, soit ${total}`);
    const slots = Math.max(...Object.keys(tablets).map((id) => Math.ceil(tablets[id]! / carts[id]!))) + request.lots[0].spareSlots;
    expect(docs.cctp).toMatch(new RegExp(`Nombre d’emplacements du chariot\\..{0,300}≥ ${slots} emplacements`));
  });

  it('prints the existing Wi-Fi as a compatibility requirement of the lots that connect to it, not of the training lot', () => {
    const lot3 = docs.cctp.slice(docs.cctp.lastIndexOf('Lot 3 — Formation'));
    expect(docs.cctp).toMatch(/L1-ACH-\d\d Compatibilité avec l’existant \(réseau Wi-Fi\)/);
    expect(docs.cctp).toMatch(/L2-ACH-\d\d Compatibilité avec l’existant \(réseau Wi-Fi\)/);
    expect(lot3).not.toContain('Compatibilité avec l’existant');
  });

  it('offers lot 2’s visit, optional, on the sites named', () => {
    const visit = docs.rc.slice(docs.rc.lastIndexOf('Visite des sites'));
    expect(visit).toContain('Lot 2 — Écrans numériques interactifs et installation. Une visite des sites est proposée aux candidats ; elle est facultative. Sites visités : Collège Jean-Moulin, Collège Marie-Curie.');
  });
});

describe('the commune’s file in two tranches', () => {
  const request = v2Example('commune');
  let docs: { cctp: string; rc: string };
  beforeAll(async () => {
    docs = await texts('commune');
  });

  it('describes the firm and the optional tranche with the deadline and the condition to affirm it', () => {
    const optional = request.contract.tranches.optional[0];
    for (const text of [docs.cctp, docs.rc]) {
      expect(text).toContain(fold(`Tranche ferme — ${request.contract.tranches.firm.title} : ${request.contract.tranches.firm.content}`));
      expect(text).toContain(fold(`Tranche optionnelle 1 — ${optional.title} : ${optional.content} Date limite d’affermissement : le ${formatDate(optional.affirmation.deadline)}.`));
      expect(text).toContain(fold(`Condition d’affermissement : ${optional.affirmation.condition}`));
      expect(text).toContain(`Début d’exécution : le ${formatDate(request.contract.start.date)}.`);
    }
  });

  it('makes the visit mandatory with its dates, and asks for the certificate with the offer', () => {
    for (const text of [docs.cctp, docs.rc]) {
      expect(text).toContain('La visite des sites est obligatoire');
      for (const date of request.lots[0].visit.dates) expect(text).toContain(formatDate(date));
    }
    expect(docs.rc).toContain('l’attestation de visite des sites du lot 1 ;');
  });
});

describe('the form of an accord-cadre', () => {
  const CASES = [
    ['purchase-orders-single', 'Accord-cadre à bons de commande, attribué à un seul titulaire'],
    ['purchase-orders-multiple', 'Accord-cadre à bons de commande, attribué à plusieurs titulaires'],
    ['subsequent-contracts', 'Accord-cadre à marchés subséquents'],
    [undefined, 'Accord-cadre à bons de commande'],
  ] as const;

  it.each(CASES)('%s: named by its type in the CCTP and the RC, executed accordingly in the CCAP and the acte d’engagement', async (type, label) => {
    // Prepare
    const request = v2Example('departement');
    if (type === undefined) delete request.contract.frameworkType;
    else request.contract.frameworkType = type;

    // Act
    const { documents } = await generateFrom(request, await sharedDeps(), ['pdf', 'rc', 'ccap', 'ae']);
    const text = async (file: RegExp) => fold(await pdfText(documents.find((d) => file.test(d.name))!.content));
    // The RC by its prefix: the extract (rc-extrait.pdf) or the complete RC (rc.pdf).
    const [cctp, rc, ccap, ae] = (await Promise.all([/^cctp\.pdf$/, /^rc.*\.pdf$/, /^ccap\.pdf$/, /^acte-engagement\.pdf$/].map(text))) as [string, string, string, string];

    // Assess
    expect(contractFormLabel(request.contract)).toBe(label);
    for (const piece of [cctp, rc]) expect(piece).toContain(`Forme : ${label}.`);
    // The CCTP may still quote the buyer's context or a catalogue deadline « du marché ou du bon de
    // commande »; the CCAP and the AE say how the accord-cadre is executed.
    const byOrders = type !== 'subsequent-contracts';
    for (const [name, piece] of Object.entries({ ccap, ae })) expect(/bons? de commande/.test(piece), name).toBe(byOrders);
    if (!byOrders) expect(ccap).toContain('marchés subséquents');
  });
});
