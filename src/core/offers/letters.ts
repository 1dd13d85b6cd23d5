/**
 * The letters to the bidders whose offer for a lot is not retained, once the lot has a proposed
 * award: what the Code de la commande publique asks the buyer to tell each of them (R2181-1 to
 * R2181-4), from the same analysis as the RAO, so the letter and the report state the same reasons
 * and the same scores.
 *
 * A letter goes to a bidder: it names the bidder, the winner (the award is public) and their two
 * offers' scores, never another bidder, the buyer's estimate or an abnormally-low flag.
 * - An irregular offer (or one left incomplete) gets the reasons it could not be ranked.
 * - A conforming offer gets its rank, its scores next to the winner's per criterion, the winner's
 *   amount and, as the characteristics and relative advantages of the chosen offer, the buyer's
 *   justification of each grade where the chosen offer did better.
 * - In a formalised procedure every letter names the winner and the date from which the contract
 *   may be signed: the sending date plus the standstill of R2182-1 (11 days when sent
 *   electronically, 16 otherwise), both read from the law records.
 */
import type { Block, DocumentModel } from '#src/core/documents/blocks.ts';
import { coverFacts, documentMeta } from '#src/core/documents/cover.ts';
import { administrativeCourtOf } from '#src/core/law/administrative-courts.ts';
import { lawAt, type LawId, type LawRecord } from '#src/core/law/law.ts';
import { formatDate, formatMoney } from '#src/core/model/format.ts';
import { FORMALISED_PROCEDURES } from '#src/core/model/tender-request.ts';
import type { LotAnalysis, LotOffer, OffersAnalysis } from './analysis.ts';
import { graded, issueText, list, NB, p, points, t, table, TIE_BREAK_TEXTS } from './report-blocks.ts';
import type { CriterionScore, OfferScore } from './scoring.ts';
import type { LettersSettings } from './letters-settings.ts';


export interface RejectionLetter {
  lot: number;
  bid: string;
  model: DocumentModel;
}

/** The letters of every lot that has a proposed award, one per other offer, in the order the analysis lists them. */
export function buildRejectionLetters(analysis: OffersAnalysis, settings: LettersSettings): RejectionLetter[] {
  return analysis.lots.flatMap((lot) => {
    const winner = lot.proposed;
    if (!winner) return [];
    return lot.offers.filter((o) => o.bidder.id !== winner.id).map((offer) => ({ lot: lot.lot.number, bid: offer.bidder.id, model: buildLetter(analysis, lot, offer, settings) }));
  });
}

/** The day the contract may be signed at the earliest: the sending date plus the standstill, counted date to date. */
export function earliestSignature(sentOn: string, days: number): string {
  const date = new Date(`${sentOn}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function buildLetter(analysis: OffersAnalysis, lotAnalysis: LotAnalysis, offer: LotOffer, settings: LettersSettings): DocumentModel {
  const { tender } = analysis;
  const { request } = tender;
  const { lot } = lotAnalysis;
  const winner = lotAnalysis.proposed!;
  const best = lotAnalysis.ranking.find((s) => s.bid === winner.id)!;
  const formalised = FORMALISED_PROCEDURES.has(request.procedure);
  const law = (id: LawId): LawRecord | undefined => lawAt(id, request.consultationDate);
  const cite = (record: LawRecord | undefined) => (record ? ` (${record.reference.citation})` : '');
  const lotName = `lot${NB}${lot.number} « ${lot.title} »`;
  const blocks: Block[] = [];

  blocks.push(
    p(t('Objet : ', { bold: true }), t(`consultation « ${request.title} »${request.reference ? `, référence ${request.reference}` : ''}, ${lotName}.`)),
    p(t('Madame, Monsieur,')),
    p(t(`Nous vous informons que l’offre présentée par ${offer.bidder.name} pour le ${lotName} n’a pas été retenue${cite(law('completion.rejection-notice'))}.`)),
  );

  const conforming = offer.conformity.status === 'conforming' && offer.score !== undefined;
  if (conforming) blocks.push(...conformingReasons(lotAnalysis, offer.score!, best));
  else blocks.push(...irregularReasons(offer, cite, request.consultationDate));

  if (formalised || conforming) {
    const reasons = formalised ? law('completion.rejection-notice.formalised') : law('completion.rejection-reasons.adapted');
    blocks.push(
      p(
        t('Le lot est attribué à '),
        t(winner.name, { bold: true }),
        t(`, dont l’offre est économiquement la plus avantageuse au regard des critères annoncés au règlement de la consultation : elle obtient ${points(best.printed)} points sur 100, pour un montant de ${formatMoney(best.amount)} HT${cite(reasons)}.`),
      ),
    );
  }
  if (conforming) blocks.push(...advantages(offer.score!, best, formalised ? law('completion.relative-advantages.formalised') : undefined));

  if (formalised) {
    const standstill = law(settings.electronic ? 'completion.standstill' : 'completion.standstill.not-electronic');
    if (standstill?.value != null) {
      blocks.push(
        p(
          t(`Le marché ne sera pas signé avant le `),
          t(formatDate(earliestSignature(settings.sentOn, standstill.value)), { bold: true }),
          t(`, à l’issue d’un délai de ${standstill.value}${NB}jours à compter de l’envoi de la présente lettre${settings.electronic ? ' par voie électronique' : ''}${cite(standstill)}.`),
        ),
      );
    }
  }
  const remedy = law('texts.pre-contractual-remedy');
  const court = administrativeCourtOf(request.buyer.address);
  if (remedy && court) {
    blocks.push(
      p(
        t(`Si vous estimez que les obligations de publicité et de mise en concurrence n’ont pas été respectées, vous pouvez, jusqu’à la signature du marché, saisir le juge des référés du ${court.replace(/^Tribunal/, 'tribunal')}`),
        t(`${cite(remedy)}.`),
      ),
    );
  }
  blocks.push(
    p(t('Nous vous remercions de l’intérêt que vous avez porté à cette consultation et vous prions d’agréer, Madame, Monsieur, l’expression de nos salutations distinguées.')),
    p(t(`Fait le ${formatDate(settings.sentOn)}, pour ${request.buyer.name}${settings.signatory ? ` : ${settings.signatory}` : ''}.`)),
  );

  return {
    meta: documentMeta(tender, {
      title: `Offre non retenue — Lot ${lot.number} — ${offer.bidder.name} — ${request.title}`,
      subject: `Information du candidat dont l’offre n’est pas retenue, lot ${lot.number} — ${request.buyer.name}`,
      keywords: ['offre non retenue', 'information des candidats évincés', `lot ${lot.number}`],
    }),
    cover: {
      kicker: 'Information du candidat dont l’offre n’est pas retenue',
      title: `${request.title} — Lot${NB}${lot.number} : ${lot.title}`,
      facts: [
        ...coverFacts(tender, { framework: false }).filter((f) => f.label !== 'Lots'),
        { label: 'Destinataire', value: `${offer.bidder.name} (SIRET ${offer.bidder.siret})` },
        { label: 'Date d’envoi', value: formatDate(settings.sentOn) },
      ],
      footnote: 'Lettre adressée au seul candidat destinataire : elle ne mentionne aucune autre offre que la sienne et celle retenue.',
    },
    footerText: `Offre non retenue — lot ${lot.number} — ${offer.bidder.name}${request.reference ? ` — ${request.reference}` : ''}`,
    blocks,
  };
}

function irregularReasons(offer: LotOffer, cite: (record: LawRecord | undefined) => string, consultationDate: string): Block[] {
  const { issues, status } = offer.conformity;
  const leads: Record<Exclude<typeof status, 'conforming'>, string> = {
    regularisable: 'Votre offre est irrégulière : elle est incomplète et n’a pu être classée, pour les motifs suivants.',
    irregular: 'Votre offre est irrégulière : elle ne respecte pas les exigences du dossier de consultation et n’a pu être classée, pour les motifs suivants.',
    unacceptable: `Votre offre est inacceptable, son prix excédant les crédits budgétaires alloués au marché : elle a été écartée${cite(lawAt('offers.unacceptable', consultationDate))} pour les motifs suivants.`,
    inappropriate: `Votre offre est inappropriée, étant sans rapport avec le marché : elle a été écartée${cite(lawAt('offers.inappropriate', consultationDate))} pour les motifs suivants.`,
  };
  return [p(t(leads[status === 'conforming' ? 'irregular' : status])), list(issues.map(issueText))];
}

function conformingReasons(lotAnalysis: LotAnalysis, own: OfferScore, best: OfferScore): Block[] {
  const ranked = lotAnalysis.ranking.length;
  const rank = own.tied ? `${own.rank}e ex æquo` : `${own.rank}e`;
  return [
    p(t(`Votre offre est conforme et a été classée au ${rank} rang sur ${ranked} offres classées, avec ${points(own.printed)} points sur 100. Le tableau ci-dessous compare ses notes à celles de l’offre retenue, critère par critère.`)),
    table(
      ['Critère', 'Points', 'Votre offre', 'Offre retenue'],
      [
        ...lotAnalysis.lot.awardCriteria.flatMap((criterion, i) => rows(criterion.name, own.criteria[i]!, best.criteria[i]!)),
        ['Total', '100', points(own.printed), points(best.printed)],
      ],
      ['left', 'right', 'right', 'right'],
    ),
    ...(own.tieBrokenBy && own.printed === best.printed
      ? [p(t(`Votre offre obtient la même note totale que l’offre retenue ; conformément au règlement de la consultation, les offres à égalité sont départagées par ${TIE_BREAK_TEXTS[own.tieBrokenBy]}, qui place l’offre retenue devant la vôtre.`))]
      : []),
  ];
}

function rows(name: string, own: CriterionScore, best: CriterionScore): string[][] {
  const line = (label: string, a: CriterionScore, b: CriterionScore) => [label, points(a.points), points(a.score), points(b.score)];
  const parts = own.parts?.map((part, j) => line(`${part.number} ${part.name}`, part, best.parts![j]!)) ?? [];
  return [line(`${own.number}. ${name}`, own, best), ...parts];
}

/** Where the chosen offer did better, what the buyer's assessment of it says: its characteristics and relative advantages. */
function advantages(own: OfferScore, best: OfferScore, record: LawRecord | undefined): Block[] {
  const better = best.criteria.flatMap(graded).flatMap((part) => {
    const mine = own.criteria.flatMap(graded).find((c) => c.number === part.number)!;
    return part.score > mine.score && part.basis.kind === 'grade' ? [`${part.name} : ${part.basis.justification}`] : [];
  });
  const price = best.criteria.find((c) => c.basis.kind === 'price');
  const cheaper = price !== undefined && best.amount < own.amount ? [`${price.name} : montant de ${formatMoney(best.amount)} HT, contre ${formatMoney(own.amount)} HT pour votre offre.`] : [];
  const items = [...cheaper, ...better];
  if (items.length === 0) return [];
  return [p(t(`Caractéristiques et avantages relatifs de l’offre retenue${record ? ` (${record.reference.citation})` : ''} :`)), list(items)];
}
