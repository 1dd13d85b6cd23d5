/**
 * The building blocks of the documents the offer analysis writes (RAO, letters to unsuccessful
 * bidders): built in code rather than from a template, since every sentence holds bidders' names
 * and figures, which stay data in the blocks and never become markup.
 */
import type { Block, Run } from '#src/core/documents/blocks.ts';
import { formatMoney } from '#src/core/model/format.ts';
import type { PriceScoring, TieBreak } from '#src/core/model/tender-request.ts';
import { GRADES, type CriterionScore } from './scoring.ts';

export const NB = '\u00a0';
const score2 = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** Points as the RAO prints and ranks them: « 37,50 ». */
export const points = (n: number): string => score2.format(n);
/** « 75 % », « 12,5 % » */
export const share = (n: number): string => `${percent.format(n * 100)}${NB}%`;

export const t = (text: string, style: Omit<Run, 'text'> = {}): Run => ({ text, ...style });
export const p = (...runs: Run[]): Block => ({ type: 'paragraph', runs });
export const table = (header: string[], rows: string[][], align: Array<'left' | 'right' | 'center'>): Block => ({
  type: 'table',
  header: header.map((h) => [t(h)]),
  rows: rows.map((r) => r.map((c) => [t(c)])),
  align,
});
export const list = (items: string[]): Block => ({ type: 'list', ordered: false, items: items.map((i) => [t(i)]) });

/** Numbering of the headings as the markup parser numbers them: 1, 1.1, 1.1.1. */
export class Outline {
  private readonly counters = [0, 0, 0];
  readonly blocks: Block[] = [];
  h(level: 1 | 2 | 3, text: string): void {
    this.counters[level - 1]!++;
    for (let i = level; i < 3; i++) this.counters[i] = 0;
    const number = this.counters.slice(0, level).join('.');
    this.blocks.push({ type: 'heading', level, number, text, anchor: `sec-${number.replaceAll('.', '-')}` });
  }
  add(...blocks: Block[]): void {
    this.blocks.push(...blocks);
  }
}

/** A conformity issue as the RAO and the letters list it: its reason, and the cell when it has one. */
export const issueText = (i: { reason: string; cell: string }): string => (i.cell === '' ? i.reason : `${i.reason} (cellule ${i.cell})`);

/** The parts of a criterion the buyer graded: its sub-criteria, or itself when graded whole. */
export function graded(c: CriterionScore): CriterionScore[] {
  if (c.parts) return c.parts;
  return c.basis.kind === 'grade' ? [c] : [];
}

/**
 * What a score was computed from, by the RC's formula: « 40,00 × 10 000,00 € ÷ 12 000,00 € »,
 * « 40,00 × (1 − (12 000,00 € − 10 000,00 €) ÷ 10 000,00 €) », « satisfaisant : 75 % × 20,00 ».
 */
export function basisText(c: CriterionScore): string {
  if (c.basis.kind === 'price') {
    const { lowest, amount } = c.basis;
    if (c.basis.method === 'lowest-over-price' || amount <= 0 || lowest <= 0) return `${points(c.points)} × ${formatMoney(lowest)} ÷ ${formatMoney(amount)}`;
    const formula = `${points(c.points)} × (1 − (${formatMoney(amount)} − ${formatMoney(lowest)}) ÷ ${formatMoney(lowest)})`;
    return amount >= 2 * lowest ? `${formula}, ramené à 0` : formula;
  }
  if (c.basis.kind === 'grade') return `${GRADES[c.basis.grade].label} : ${share(GRADES[c.basis.grade].share)} × ${points(c.points)}`;
  return '';
}

/** The RC's price formula in words, as the RAO restates it. */
export const PRICE_FORMULAS: Record<PriceScoring, string> = {
  'lowest-over-price': 'note = points du critère × (montant de l’offre la moins-disante ÷ montant de l’offre examinée)',
  linear: 'note = points du critère × (1 − (montant de l’offre examinée − montant de l’offre la moins-disante) ÷ montant de l’offre la moins-disante), sans pouvoir être inférieure à zéro',
};

/** What the RC's tie-break compares: « départagées par … ». */
export const TIE_BREAK_TEXTS: Record<Exclude<TieBreak, 'none'>, string> = {
  'best-technical': 'la meilleure note au premier critère autre que le prix ou le coût',
  'lowest-price': 'le montant examiné le plus bas',
};
