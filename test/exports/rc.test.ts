/**
 * The complete règlement de la consultation (issue #15): its context decided from the request and
 * the law records (buildRcContext), its PDF read back as text, its Word file with the same chapters.
 * Every example builds one that cites only law records and prints nothing of the buyer's own; the
 * new request fields (deadlines, validity, profile, lots per bidder, negotiation) change the text
 * where it prints them, and contradictory ones are refused with their field path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HeadingBlock } from '#src/core/documents/blocks.ts';
import { buildRcContext, buildRcDocument, DEFAULT_OFFER_VALIDITY_DAYS } from '#src/core/documents/rc-document.ts';
import { citableArticles } from '#src/core/law/law.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import { renderDocx } from '#src/adapters/render/docx/render-docx.ts';
import { pdfPages } from '../support/pdf-text.ts';
import { evaluateFrom } from '../support/pipeline.ts';
import { legalReferences } from './support/legal-references.ts';
import { wordParagraphs, zipParts } from './support/office.ts';
import { sharedDeps } from './support/models.ts';

const fold = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');
const EXAMPLE_FILES = readdirSync(new URL('../../examples/', import.meta.url)).filter((f) => f.endsWith('.json')).sort();
const load = (file: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));

async function context(request: unknown) {
  const { tender } = await evaluateFrom(request, (await sharedDeps()).catalogue);
  return buildRcContext(tender).rc;
}

async function rc(request: unknown) {
  const deps = await sharedDeps();
  const { tender, rules } = await evaluateFrom(request, deps.catalogue);
  const model = buildRcDocument(tender, rules, deps.templates);
  const pages = await pdfPages(await renderPdf(model));
  return { model, pages, text: fold(pages.join(' ')) };
}

const chapters = (blocks: readonly { type: string }[]) => blocks.filter((b): b is HeadingBlock => b.type === 'heading' && (b as HeadingBlock).level === 1).map((h) => h.text);

/** What the buyer keeps to himself (the publishable-documents issue). */
const INTERNAL = ['note interne', 'subvention', 'financement', 'estimation', 'indicatif', 'modifiable', 'usage du marché', 'éligible', 'points de vigilance'];

describe('buildRcContext', () => {
  it('states the buyer with its SIRET, each lot with its CPV and check digit, and the procedure with its articles from the law records', async () => {
    const ctx = await context(load('departement-accord-cadre.json'));
    expect(ctx.buyer.siret).toBe('220\u00a0599\u00a0906\u00a000017');
    expect(ctx.lots.map((l) => l.cpv)).toEqual(['30213200-7', '30231320-6', '32420000-3', '80533100-0']);
    expect(ctx.legalBasis).toBe('des articles L2124-2, R2124-2 et R2161-2 à R2161-5 du code de la commande publique');
    expect(ctx.citations).toEqual(expect.arrayContaining(['L2124-2', 'R2152-2', 'R2152-3', 'L2132-2', 'R2132-7']));
    const citable = citableArticles();
    expect(ctx.citations.filter((a) => !citable.has(a))).toEqual([]);
  });

  it('shows both deadlines in Paris time, whatever offset the request wrote them with', async () => {
    const request = load('departement-accord-cadre.json');
    request.questionsDeadline = '2027-01-04T11:00:00Z';
    request.offerDeadline = '2027-07-01T10:30:00Z';
    const ctx = await context(request);
    expect(ctx.deadlines).toEqual({ questions: '4\u00a0janvier 2027 à 12\u00a0h\u00a000 (heure de Paris)', offers: '1er\u00a0juillet 2027 à 12\u00a0h\u00a030 (heure de Paris)' });
  });

  it('takes 120 days of validity when the request says nothing, and says it is the default', async () => {
    const request = load('departement-accord-cadre.json');
    expect((await context(request)).validity).toEqual({ days: '150\u00a0jours', isDefault: false });
    delete request.offerValidityDays;
    expect(DEFAULT_OFFER_VALIDITY_DAYS).toBe(120);
    expect((await context(request)).validity).toEqual({ days: '120\u00a0jours', isDefault: true });
  });

  it('cites R2113-1 only when the buyer caps the lots one bidder may win', async () => {
    const ville = await context(load('ville-ecrans-interactifs.json'));
    expect(ville.lotRule).toEqual({ limit: 'Un même candidat ne peut être attributaire que d’un seul lot', beyond: 'plus d’un lot', citation: 'article R2113-1 du code de la commande publique' });
    const departement = await context(load('departement-accord-cadre.json'));
    expect(departement.lotRule).toEqual({ limit: null, beyond: null, citation: null });
    expect(departement.citations).not.toContain('R2113-1');
  });

  it('reserves negotiation only where the buyer chose it in an adapted procedure, and excludes it in an appel d’offres', async () => {
    expect((await context(load('commune-rurale-classe-mobile.json'))).negotiation).toMatchObject({ reserved: true, citation: 'article R2123-5 du code de la commande publique' });
    expect((await context(load('ville-ecrans-interactifs.json'))).negotiation).toMatchObject({ reserved: false, none: true, citation: null });
    expect((await context(load('departement-accord-cadre.json'))).negotiation).toMatchObject({ reserved: false, none: false, tender: true });
  });

  it('gives the technical memo one heading per quality criterion and one per sub-criterion, with their weights, lot by lot when lots are judged apart', async () => {
    const v1 = await context(load('departement-accord-cadre.json'));
    expect(v1.memo).toHaveLength(1);
    expect(v1.memo[0]!.lead).toBeNull();
    expect(v1.memo[0]!.headings[0]).toEqual({
      number: '1',
      title: 'Valeur technique',
      weight: '35\u00a0%',
      subHeadings: [
        { number: '1.1', title: 'Caractéristiques et robustesse des équipements', weight: '20\u00a0%' },
        { number: '1.2', title: 'Organisation du déploiement, de la formation et du support', weight: '15\u00a0%' },
      ],
    });
    expect(v1.memo[0]!.headings.map((h) => h.title)).not.toContain('Prix (application du bordereau des prix unitaires au détail quantitatif estimatif)');
    const v2 = await context(load('departement-colleges-trois-lots-v2.json'));
    expect(v2.memo.map((m) => m.lead)).toEqual(expect.arrayContaining([expect.stringMatching(/^Lot 1 — /)]));
  });
});

describe('RC request fields', () => {
  it('refuses a questions deadline after the offer deadline, or without one, on questionsDeadline', async () => {
    const request = load('departement-accord-cadre.json');
    request.questionsDeadline = '2027-01-11T12:00:00+01:00';
    await expect(rc(request)).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'questionsDeadline' })] });
    delete request.offerDeadline;
    request.questionsDeadline = '2027-01-04T12:00:00+01:00';
    await expect(rc(request)).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'questionsDeadline' })] });
  });

  it('refuses a cap on lots that leaves no lot to others, and negotiation in an appel d’offres, with their paths', async () => {
    const request = load('departement-accord-cadre.json');
    request.maxLotsPerBidder = 4;
    request.negotiation = 'reserved';
    await expect(rc(request)).rejects.toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ path: 'maxLotsPerBidder' }), expect.objectContaining({ path: 'negotiation' })]),
    });
  });

  it('keeps accepting a version 2 request without any of them', async () => {
    const request = load('region-lycees-trente-sites-v2.json');
    delete request.offerDeadline;
    const { text } = await rc(request);
    expect(text).toContain('La date et l’heure limites de remise des plis sont indiquées dans l’avis d’appel public à la concurrence.');
    expect(text).toContain('Ce délai est celui que retient le présent règlement à défaut d’un autre délai fixé par l’acheteur.');
  });
});

describe.each(EXAMPLE_FILES)('RC of examples/%s', (file) => {
  let built: Awaited<ReturnType<typeof rc>>;
  beforeAll(async () => {
    built = await rc(load(file));
  });

  it('has its cover, its footer on every page and its chapters', () => {
    expect(built.pages[0]).toContain('Règlement de la consultation');
    built.pages.forEach((page, i) => expect(page).toMatch(new RegExp(`RC .+ Page ${i + 1} / ${built.pages.length}`)));
    expect(chapters(built.model.blocks)).toEqual([
      'Acheteur et objet de la consultation',
      'Lots, variantes et options',
      'Visite des sites',
      'Dossier de consultation et questions',
      'Contenu des candidatures',
      'Contenu des offres',
      'Jugement des offres',
      'Remise des plis',
    ]);
  });

  it('cites only law records and prints nothing of the buyer’s own', () => {
    const citable = citableArticles();
    expect(legalReferences(built.text).filter((a) => !citable.has(a))).toEqual([]);
    const lower = built.text.toLowerCase();
    for (const words of INTERNAL) expect(lower, words).not.toContain(words);
  });

  it('asks for the application forms, the offer’s pieces and submission on the buyer’s profile', () => {
    expect(built.text).toContain('document unique de marché européen (DUME) ou des formulaires DC1 (lettre de candidature) et DC2 (déclaration du candidat)');
    expect(built.text).toContain('le cadre de réponse (matrice de conformité) complété');
    expect(built.text).toContain('le mémoire technique, organisé selon le plan ci-dessous');
    expect(built.text).toContain('Les candidatures et les offres sont transmises par voie électronique sur le profil d’acheteur');
    expect(built.text).toContain('(articles L2132-2 et R2132-7 du code de la commande publique)');
  });
});

describe('RC as the buyer fills it in', () => {
  let commune: Awaited<ReturnType<typeof rc>>;
  let ville: Awaited<ReturnType<typeof rc>>;
  let departement: Awaited<ReturnType<typeof rc>>;
  beforeAll(async () => {
    [commune, ville, departement] = await Promise.all([rc(load('commune-rurale-classe-mobile.json')), rc(load('ville-ecrans-interactifs.json')), rc(load('departement-accord-cadre.json'))]);
  });

  it('prints the buyer, its SIRET and its profile, the deadlines and the validity the request gives', () => {
    expect(departement.text).toContain('SIRET : 220 599 906 00017.');
    // The layout may break the address after « www. »: joined back before comparing.
    expect(departement.text.replaceAll('www. ', 'www.')).toContain('Profil d’acheteur, où le dossier de consultation est publié et où les plis sont remis : https://www.marches-publics.gouv.fr.');
    expect(departement.text).toContain('jusqu’au 4 janvier 2027 à 12 h 00 (heure de Paris)');
    expect(departement.text).toContain('Les plis sont remis au plus tard le 11 janvier 2027 à 12 h 00 (heure de Paris).');
    expect(departement.text).toContain('Les offres restent valables 150 jours à compter de la date limite de remise des plis.');
    expect(departement.text).not.toContain('à défaut d’un autre délai');
  });

  it('states the procedure with its articles, the lots with their CPV and the cap per bidder with the rule beyond it', () => {
    expect(departement.text).toContain('appel d’offres ouvert, en application des articles L2124-2, R2124-2 et R2161-2 à R2161-5 du code de la commande publique');
    expect(departement.text).toMatch(/1 Classes mobiles de tablettes 30213200-7/);
    expect(ville.text).toContain('procédure adaptée, en application des articles L2123-1 et R2123-1 à R2123-8 du code de la commande publique');
    expect(ville.text).toContain('Un même candidat ne peut être attributaire que d’un seul lot (article R2113-1 du code de la commande publique)');
    expect(ville.text).toContain('Lorsque l’application des critères conduirait à lui attribuer plus d’un lot');
    expect(ville.text).toContain('l’ordre dans lequel il souhaite les obtenir');
    expect(departement.text).toContain('Un même candidat peut être attributaire de plusieurs lots, voire de tous.');
  });

  it('scores the price by the lowest-price formula on the DPGF or the DQE, and technical marks on the scale', () => {
    expect(ville.text).toContain('Le critère « Prix » est noté sur 45 points selon la formule : note = 45 × (montant de l’offre la moins-disante ÷ montant de l’offre examinée)');
    expect(ville.text).toContain('décomposition du prix global et forfaitaire (DPGF)');
    expect(departement.text).toContain('détail quantitatif estimatif (DQE)');
    expect(commune.text).toContain('très satisfaisant : 100 % des points');
  });

  it('lays out the technical memo’s headings per sub-criterion', () => {
    expect(departement.text).toContain('Partie 1 : Valeur technique (35 %) • Partie 1.1 : Caractéristiques et robustesse des équipements (20 %) • Partie 1.2 : Organisation du déploiement, de la formation et du support (15 %)');
  });

  it('says whether the buyer negotiates', () => {
    expect(commune.text).toContain('L’acheteur se réserve la possibilité de négocier');
    expect(commune.text).toContain('(article R2123-5 du code de la commande publique)');
    expect(ville.text).toContain('L’acheteur ne négocie pas : le marché est attribué sur la base des offres initiales.');
    expect(departement.text).toContain('La procédure d’appel d’offres exclut toute négociation');
  });

  it('states variants with their minimum requirements, options and abnormally low offers', () => {
    expect(ville.text).toContain('Les variantes sont autorisées.');
    expect(ville.text).toContain('Exigences minimales que toute variante respecte (articles R2151-8 à R2151-11 du code de la commande publique)');
    expect(ville.text).toContain('Option 1 — Extension de garantie à cinq ans');
    expect(commune.text).toContain('Les variantes ne sont pas autorisées');
    expect(commune.text).toContain('La consultation ne comporte pas d’option.');
    expect(departement.text).toContain('l’offre est rejetée (articles L2152-5, L2152-6 et R2152-3 à R2152-5 du code de la commande publique)');
  });

  it('lays out in Word with the same chapters', async () => {
    const deps = await sharedDeps();
    const { tender, rules } = await evaluateFrom(load('departement-accord-cadre.json'), deps.catalogue);
    const model = buildRcDocument(tender, rules, deps.templates);
    const paragraphs = wordParagraphs(zipParts(await renderDocx(model)).get('word/document.xml')!);
    // Word numbers the headings from its multilevel list (test/exports/docx.test.ts): no typed number.
    expect(paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text)).toEqual(chapters(model.blocks));
    expect(fold(paragraphs.map((p) => p.text).join(' '))).toContain('4 janvier 2027 à 12 h 00 (heure de Paris)');
  });
});
