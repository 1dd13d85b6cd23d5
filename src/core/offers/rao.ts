/**
 * The rapport d'analyse des offres (RAO) of one lot, as a renderer-neutral document model: what
 * the buyer signs before awarding and keeps for a dispute. Built from the analysis alone (no
 * template: every sentence holds bidders' names and figures, which stay data in the blocks).
 * Buyer-only: it names every bidder, their prices and the estimate.
 */
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { coverFacts, documentMeta } from '#src/core/documents/cover.ts';
import { lawAt } from '#src/core/law/law.ts';
import { formatCount, formatDate, formatMoney } from '#src/core/model/format.ts';
import type { LotAnalysis, LotOffer, OffersAnalysis } from './analysis.ts';
import { basisText, graded, issueText, list, NB, Outline, p, points, PRICE_FORMULAS, share, t, table, TIE_BREAK_TEXTS } from './report-blocks.ts';
import type { AwardCriterion, TieBreak } from '#src/core/model/tender-request.ts';
import { GRADES, type OfferScore } from './scoring.ts';

const STATUS_LABELS = {
  conforming: 'Conforme',
  regularisable: 'Irrégulière, régularisable',
  irregular: 'Irrégulière',
  unacceptable: 'Inacceptable',
  inappropriate: 'Inappropriée',
} as const;

export function statusLabel(offer: LotOffer): string {
  return STATUS_LABELS[offer.conformity.status];
}

export function buildRaoDocument(analysis: OffersAnalysis, lotAnalysis: LotAnalysis): DocumentModel {
  const { tender } = analysis;
  const { request } = tender;
  const { lot } = lotAnalysis;
  const out = new Outline();
  const name = (id: string) => lotAnalysis.offers.find((o) => o.bidder.id === id)!.bidder.name;
  const received = lotAnalysis.offers.length;
  const tieBreak = lot.tieBreak ?? 'none';

  out.h(1, 'Objet du rapport');
  out.add(
    p(
      t(`Le présent rapport analyse les offres reçues pour le lot${NB}${lot.number} « ${lot.title} » de la consultation « ${request.title} »${request.reference ? ` (${request.reference})` : ''}, lancée le ${formatDate(request.consultationDate)}. `),
      t(`${formatCount(received, 'offre a été reçue', 'offres ont été reçues')} pour ce lot. `),
      t('Chaque offre est d’abord examinée au regard des exigences minimales du CCTP et du bordereau des prix, puis les offres conformes sont notées selon les critères et la méthode annoncés au règlement de la consultation.'),
    ),
  );
  out.h(2, 'Critères d’attribution');
  out.add(
    table(
      ['N°', 'Critère ou sous-critère', 'Pondération'],
      lot.awardCriteria.flatMap((c, i) => [
        [String(i + 1), c.name, `${points(c.weight)} points`],
        ...c.subCriteria.map((s, j) => [`${i + 1}.${j + 1}`, `dont ${s.name}`, `${points(s.weight)} points`]),
      ]),
      ['left', 'left', 'right'],
    ),
    p(
      t(`${priceFormula(lot.awardCriteria)}, le montant examiné étant le total hors taxes du `),
      t(request.contract.form === 'framework-agreement' ? 'détail quantitatif estimatif (prix du BPU appliqués aux quantités estimatives)' : 'la décomposition du prix global et forfaitaire'),
      t('. En cas de discordance, les prix unitaires l’emportent et les montants sont rectifiés.'),
    ),
    p(
      t('Critères qualitatifs : chaque sous-critère, ou à défaut chaque critère, reçoit une appréciation convertie en part de ses points : '),
      t(Object.values(GRADES).map((g) => `${g.label} ${share(g.share)}`).join(' ; ')),
      t('.'),
    ),
  );
  if (lotAnalysis.estimate !== undefined) out.add(p(t(`Estimation de l’acheteur pour le lot : ${formatMoney(lotAnalysis.estimate)} HT.`)));

  out.h(1, 'Offres reçues');
  out.add(
    table(
      ['Candidat', 'SIRET', 'Montant examiné HT', 'Conformité'],
      lotAnalysis.offers.map((o) => [o.bidder.name, o.bidder.siret, formatMoney(o.conformity.amount), statusLabel(o)]),
      ['left', 'left', 'right', 'left'],
    ),
  );

  out.h(1, 'Examen de la conformité des offres');
  for (const offer of lotAnalysis.offers) {
    out.h(2, offer.bidder.name);
    const { conformity } = offer;
    if (conformity.status === 'conforming') out.add(p(t('L’offre satisfait chaque exigence minimale du CCTP et chaque ligne du bordereau porte un prix : elle est conforme et admise au classement.')));
    if (conformity.status === 'irregular') {
      out.add(p(t('L’offre est irrégulière et ne peut être classée : ', { bold: true }), t('elle ne respecte pas les exigences du dossier de consultation, pour les motifs suivants.')), list(conformity.issues.map(issueText)));
    }
    if (conformity.status === 'regularisable') {
      const record = lawAt('offers.irregular-regularisation', request.consultationDate);
      out.add(
        p(
          t('L’offre est irrégulière pour des éléments manquants que le candidat peut être invité à compléter, sans modifier les caractéristiques substantielles de son offre', { bold: true }),
          t(record ? ` (${record.reference.citation}). ` : '. '),
          t('Elle ne sera classée qu’une fois régularisée. Éléments à demander :'),
        ),
        list(conformity.issues.map(issueText)),
      );
    }
    if (conformity.status === 'unacceptable' || conformity.status === 'inappropriate') {
      const unacceptable = conformity.status === 'unacceptable';
      const record = lawAt(unacceptable ? 'offers.unacceptable' : 'offers.inappropriate', request.consultationDate);
      const budget = analysis.budgets.find((b) => b.lot === lot.number);
      out.add(
        p(
          t(`L’offre est ${unacceptable ? 'inacceptable' : 'inappropriée'} et ${unacceptable && request.negotiation === 'reserved' ? 'ne peut être classée en l’état' : 'est écartée'}`, { bold: true }),
          t(record ? ` (${record.reference.citation})` : ''),
          t(unacceptable ? ' : son prix excède les crédits budgétaires alloués au marché. ' : ' : elle est sans rapport avec le marché, faute de pouvoir répondre au besoin sans modification substantielle. '),
          t('Motifs :'),
        ),
        list(conformity.issues.map(issueText)),
      );
      if (unacceptable && budget) out.add(p(t(`Crédits budgétaires alloués au lot, déterminés et établis le ${formatDate(budget.establishedOn)} : ${formatMoney(budget.amount)} HT.`)));
      // R2152-1, in the same record: with negotiation, an unacceptable offer may still become acceptable.
      if (unacceptable && request.negotiation === 'reserved') {
        out.add(p(t('Le règlement de la consultation réservant la négociation, cette offre peut devenir acceptable au cours de celle-ci, à condition de ne pas être anormalement basse ; elle est éliminée si elle demeure inacceptable à son issue.')));
      }
    }
    if (conformity.rectified.length > 0) {
      out.add(
        p(t('Erreurs arithmétiques rectifiées (le prix unitaire l’emporte) :')),
        table(
          ['Ligne', 'Cellule', 'Montant indiqué HT', 'Montant rectifié HT'],
          conformity.rectified.map((r) => [r.number, r.cell, formatMoney(r.declared), formatMoney(r.rectified)]),
          ['left', 'left', 'right', 'right'],
        ),
      );
    }
    if (conformity.rectifiedTotals) {
      out.add(
        p(t('TVA et total TTC rectifiés à partir des prix unitaires, qui l’emportent :')),
        table(
          ['Total', 'Cellule', 'Montant indiqué', 'Montant rectifié'],
          conformity.rectifiedTotals.map((r) => [r.label, r.cell, formatMoney(r.declared), formatMoney(r.rectified)]),
          ['left', 'left', 'right', 'right'],
        ),
      );
    }
    if (conformity.declaredTotal !== undefined) {
      out.add(p(t(`Total indiqué par le candidat : ${formatMoney(conformity.declaredTotal)} HT ; total rectifié retenu : ${formatMoney(conformity.amount)} HT.`)));
    }
  }

  const low = lotAnalysis.offers.filter((o) => o.abnormallyLow);
  out.h(1, 'Offres anormalement basses');
  const lowRecord = lawAt('offers.abnormally-low', request.consultationDate);
  out.add(
    p(
      t(`Une offre conforme est signalée lorsque son montant est inférieur d’au moins ${share(analysis.rules.belowEstimate)} à l’estimation de l’acheteur, ou d’au moins ${share(analysis.rules.belowOthers)} à la moyenne des autres offres conformes. `),
      t('Ce signalement n’entraîne aucun rejet : le candidat est invité à justifier son prix, et l’offre n’est rejetée que si ses justifications ne permettent pas d’écarter le caractère anormalement bas'),
      t(lowRecord ? ` (${lowRecord.reference.citation}).` : '.'),
    ),
  );
  if (low.length === 0) out.add(p(t('Aucune offre n’est signalée.')));
  for (const offer of low) {
    const a = offer.abnormallyLow!;
    out.h(2, `${offer.bidder.name} : demande de précisions et justifications`);
    const gaps = [
      ...(a.belowEstimate !== undefined ? [`${share(a.belowEstimate)} sous l’estimation de l’acheteur`] : []),
      ...(a.belowOthers !== undefined ? [`${share(a.belowOthers)} sous la moyenne des autres offres conformes`] : []),
    ];
    out.add(
      p(t(`Montant examiné : ${formatMoney(offer.conformity.amount)} HT, soit ${gaps.join(' et ')}. Le candidat est invité à justifier les prix suivants, notamment par le mode de fabrication des produits ou les modalités de la prestation, les solutions techniques adoptées ou les conditions exceptionnellement favorables dont il dispose, l’originalité de son offre, le respect des règles environnementales, sociales et du travail applicables, ou une éventuelle aide d’État.`)),
      table(
        ['Ligne', 'Désignation', 'Prix unitaire HT proposé', 'Prix unitaire HT estimé'],
        a.lines.map((l) => [l.number, l.designation, formatMoney(l.unitPrice), l.estimatedUnitPrice === undefined ? '—' : formatMoney(l.estimatedUnitPrice)]),
        ['left', 'left', 'right', 'right'],
      ),
    );
  }

  out.h(1, 'Notation des offres conformes');
  if (lotAnalysis.ranking.length === 0) out.add(p(t('Aucune offre conforme : aucune note n’est attribuée.')));
  lot.awardCriteria.forEach((criterion, i) => {
    if (lotAnalysis.ranking.length === 0) return;
    out.h(2, `Critère ${i + 1} : ${criterion.name} (${points(criterion.weight)} points)`);
    const rows = lotAnalysis.ranking.flatMap((s) => {
      const c = s.criteria[i]!;
      const lines = c.parts ? c.parts.map((part) => [name(s.bid), `${part.number} ${part.name}`, basisText(part), points(part.score)]) : [];
      return [...lines, [name(s.bid), c.parts ? `Total du critère ${c.number}` : c.name, c.parts ? '' : basisText(c), points(c.score)]];
    });
    out.add(table(['Candidat', 'Élément noté', 'Calcul', 'Note'], rows, ['left', 'left', 'left', 'right']));
    const justified = lotAnalysis.ranking.flatMap((s) => graded(s.criteria[i]!).map((g) => `${name(s.bid)}, ${g.number} : ${g.basis.kind === 'grade' ? g.basis.justification : ''}`));
    if (justified.length > 0) out.add(p(t('Justification des appréciations :')), list(justified));
  });

  if (lotAnalysis.ranking.length > 0) {
    out.h(1, 'Synthèse et classement');
    out.add(
      table(
        ['Rang', 'Candidat', ...lot.awardCriteria.map((_c, i) => `Critère ${i + 1}`), 'Total sur 100'],
        lotAnalysis.ranking.map((s) => [rankText(s), name(s.bid), ...s.criteria.map((c) => points(c.score)), points(s.printed)]),
        ['center', 'left', ...lot.awardCriteria.map(() => 'right' as const), 'right'],
      ),
    );
    const broken = lotAnalysis.ranking.filter((s) => s.tieBrokenBy);
    if (tieBreak !== 'none' && broken.length > 0) {
      const totals = [...new Set(broken.map((s) => s.printed))];
      for (const total of totals) {
        const same = broken.filter((s) => s.printed === total);
        out.add(
          p(
            t(`Les offres de ${same.map((s) => name(s.bid)).join(' et ')} obtiennent la même note totale (${points(total)}). `),
            t(`Conformément au règlement de la consultation, elles sont départagées par ${TIE_BREAK_TEXTS[tieBreak]} : ${same.map((s) => `${name(s.bid)} ${tieBreakFigure(tieBreak, s, lot.awardCriteria)}, rang ${rankText(s)}`).join(' ; ')}.`),
          ),
        );
      }
    }
    out.h(2, 'Points forts et points faibles');
    for (const s of lotAnalysis.ranking) {
      const parts = s.criteria.flatMap(graded);
      const strong = parts.filter((g) => g.basis.kind === 'grade' && GRADES[g.basis.grade].share >= 0.75);
      const weak = parts.filter((g) => g.basis.kind === 'grade' && GRADES[g.basis.grade].share < 0.75);
      const priceRank = [...lotAnalysis.ranking].sort((a, b) => a.amount - b.amount).indexOf(s) + 1;
      out.add(
        p(t(`${name(s.bid)} : `, { bold: true }), t(`offre classée ${priceRank === 1 ? 'première' : `${priceRank}e`} en prix (${formatMoney(s.amount)} HT).`)),
        list([
          ...strong.map((g) => `Point fort, ${g.name} : ${(g.basis as { justification: string }).justification}`),
          ...weak.map((g) => `Point faible, ${g.name} : ${(g.basis as { justification: string }).justification}`),
        ].concat(strong.length + weak.length === 0 ? ['Aucun critère qualitatif.'] : [])),
      );
    }
  }

  out.h(1, 'Proposition d’attribution');
  if (lotAnalysis.proposed) {
    const best = lotAnalysis.ranking[0]!;
    const lowFlag = lotAnalysis.offers.find((o) => o.bidder.id === best.bid)!.abnormallyLow;
    out.add(
      p(
        t(`Il est proposé d’attribuer le lot${NB}${lot.number} à `),
        t(lotAnalysis.proposed.name, { bold: true }),
        t(` (SIRET ${lotAnalysis.proposed.siret}), auteur de l’offre économiquement la plus avantageuse avec ${points(best.printed)} points sur 100, pour un montant examiné de ${formatMoney(best.amount)} HT.`),
        t(lowFlag ? ' Cette proposition est subordonnée à l’examen des justifications demandées au titre de l’offre anormalement basse.' : ''),
      ),
    );
  } else if (lotAnalysis.tieForFirst) {
    const tied = lotAnalysis.ranking.filter((s) => s.rank === 1).map((s) => name(s.bid));
    const rule =
      tieBreak === 'none'
        ? 'Le règlement de la consultation ne prévoit pas de règle de départage'
        : `La règle de départage du règlement de la consultation (${TIE_BREAK_TEXTS[tieBreak]}) ne les sépare pas`;
    out.add(p(t(`Les offres de ${tied.join(' et ')} obtiennent la même note totale. ${rule} : l’attribution entre ces offres relève d’une décision motivée de l’acheteur.`)));
  } else {
    out.add(p(t('Aucune offre conforme ne peut être classée : le lot ne peut pas être attribué en l’état.')));
  }

  return {
    meta: documentMeta(tender, {
      title: `Rapport d’analyse des offres — Lot ${lot.number} — ${request.title}`,
      subject: `Rapport d’analyse des offres du lot ${lot.number}, document interne à l’acheteur — ${request.buyer.name}`,
      keywords: ['rapport d’analyse des offres', 'RAO', `lot ${lot.number}`, 'document interne'],
    }),
    cover: {
      kicker: 'Rapport d’analyse des offres — document interne',
      title: `${request.title} — Lot${NB}${lot.number} : ${lot.title}`,
      facts: [...coverFacts(tender, { framework: false }), { label: 'Offres reçues pour le lot', value: String(received) }],
      footnote: 'Document interne : il contient les offres des candidats et ne doit pas être transmis aux candidats ni publié.',
    },
    footerText: `Rapport d’analyse des offres — lot ${lot.number} — ne pas diffuser${request.reference ? ` — ${request.reference}` : ''}`,
    blocks: out.blocks,
  };
}

/** The price formula of the lot's price and cost criteria, as the RC states it (« Prix : note = … »). */
function priceFormula(criteria: readonly AwardCriterion[]): string {
  const priced = criteria.flatMap((c, i) => (c.type === 'quality' ? [] : [{ number: i + 1, name: c.name, method: c.priceScoring ?? 'lowest-over-price' }]));
  const methods = [...new Set(priced.map((c) => c.method))];
  if (methods.length <= 1) return `Prix : ${PRICE_FORMULAS[methods[0] ?? 'lowest-over-price']}`;
  return priced.map((c) => `Critère ${c.number} (${c.name}) : ${PRICE_FORMULAS[c.method]}`).join(' ; ');
}

/** What the tie-break compared for an offer: « 30,00 points au critère 2 », « 12 000,00 € HT ». */
function tieBreakFigure(rule: Exclude<TieBreak, 'none'>, s: OfferScore, criteria: readonly AwardCriterion[]): string {
  if (rule === 'lowest-price') return `(${formatMoney(s.amount)} HT)`;
  const i = criteria.findIndex((c) => c.type === 'quality');
  return i < 0 ? '' : `(${points(s.criteria[i]!.score)} points au critère ${i + 1})`;
}

function rankText(s: OfferScore): string {
  return s.tied ? `${s.rank} ex æquo` : String(s.rank);
}
