import { SCHOOL_LEVEL_LABELS } from '#src/core/funding/estimate.ts';
import type { Finding } from '#src/core/model/findings.ts';
import { formatCount, formatDate, formatInteger, formatMoney, formatPercent } from '#src/core/model/format.ts';
import { formatThreshold } from '#src/core/model/metric.ts';
import { criteriaUsed, type ResolvedRequirement, type ResolvedTender } from '#src/core/model/resolve-tender.ts';
import type { RulesOutcome } from '#src/core/rules/evaluate.ts';
import { roundCents } from '#src/core/rules/money.ts';
import { buyerDesignation } from './buyer-name.ts';
import { estimateRows, type EstimateRows } from './note-estimate.ts';
import { AUTHORITY_LABELS, BUYER_TYPE_LABELS, PROCEDURE_LABELS, SEVERITY_LABELS } from './labels.ts';

/**
 * What the buyer keeps and never publishes: conformity to the framework, the co-funding
 * estimate with its calculation, every finding of the rules with what to do, the estimated
 * prices, what the buyer changed in the framework and why, and the sources and versions behind
 * each requirement. Everything here was taken out of the bidder documents on purpose.
 */
export interface NoteContext {
  title: string;
  reference: string | null;
  buyer: { name: string; designation: string; type: string };
  consultationDate: string;
  procedure: string;
  framework: { title: string; version: number; reference: string };
  conformity: {
    conforming: boolean;
    framework: string;
    /** « Les 17 exigences … sont conservées », agreed in number. */
    kept: string;
    losses: Array<{ lot: number; reference: string; label: string; message: string }>;
  };
  funding: {
    statement: string;
    schoolLevels: string;
    programmes: Array<{ name: string; reason: string; sources: string }>;
    estimates: Array<{
      name: string;
      rate: string;
      rateExplanation: string;
      total: string;
      lines: Array<{ lot: number; category: string; devices: string; eligibleCost: string; subsidy: string; steps: string[] }>;
      caveats: string[];
    }>;
  };
  findings: {
    any: boolean;
    blocking: number;
    items: Array<{ severity: string; message: string; where: string | null; comparison: string | null; action: string | null; reference: string; source: string | null }>;
  };
  estimate: {
    any: boolean;
    lots: Array<{ number: number; title: string; lines: Array<{ label: string; quantity: string; unitPrice: string; amount: string }>; total: string; complete: boolean }>;
    total: string;
    complete: boolean;
    /** Version 2: lines, options, tranches, renewals, HT and TTC, and the threshold tier (null for version 1). */
    rows: EstimateRows | null;
  };
  changes: {
    any: boolean;
    items: Array<{ lot: number; reference: string; label: string; change: string; justification: string | null }>;
    excluded: Array<{ lot: number; id: string; label: string; justification: string | null }>;
  };
  criteria: Array<{ id: string; version: number; authority: string; reference: string; source: string | null; note: string | null }>;
  versions: string;
}

export function buildNoteContext(tender: ResolvedTender, rules: RulesOutcome): NoteContext {
  const { request, framework } = tender;
  const losses = rules.conformity.reasons.filter((r) => r.status === 'excluded' || r.status === 'loosened' || r.status === 'downgraded');
  const referenceOf = (lot: number, criterionId: string) =>
    tender.lots[lot - 1]?.requirements.find((r) => r.id === criterionId)?.reference ?? criterionId;
  const { funding } = rules;
  return {
    title: request.title,
    reference: request.reference ?? null,
    buyer: { name: request.buyer.name, designation: buyerDesignation(request.buyer), type: BUYER_TYPE_LABELS[request.buyer.type] },
    consultationDate: formatDate(request.consultationDate),
    procedure: PROCEDURE_LABELS[request.procedure],
    framework: { title: framework.title, version: framework.version, reference: framework.reference },
    conformity: {
      conforming: rules.conformity.conforming,
      framework: rules.conformity.framework,
      kept: keptSentence(rules.conformity.reasons.length - losses.length),
      losses: losses.map((r) => ({ lot: r.lot, reference: referenceOf(r.lot, r.criterionId), label: r.label, message: r.message })),
    },
    funding: {
      statement: funding.statement,
      schoolLevels: funding.schoolLevels.map((l) => SCHOOL_LEVEL_LABELS[l]).join(', ') || 'non précisés',
      programmes: funding.programmes.map((p) => ({ name: p.name, reason: p.reason, sources: p.sources.join(' ; ') })),
      estimates: funding.estimates.map((e) => ({
        name: e.name,
        rate: formatPercent(e.rate * 100),
        rateExplanation: e.rateExplanation,
        total: formatMoney(e.total),
        lines: e.lines.map((l) => ({
          lot: l.lot,
          category: l.categoryLabel,
          devices: formatInteger(l.devices),
          eligibleCost: formatMoney(l.eligibleCost),
          subsidy: formatMoney(l.subsidy),
          steps: l.steps,
        })),
        caveats: e.caveats,
      })),
    },
    findings: {
      any: rules.findings.length > 0,
      blocking: rules.findings.filter((f) => f.severity === 'error').length,
      items: rules.findings.map(findingContext),
    },
    estimate: { ...estimateContext(tender), rows: estimateRows(tender, rules.findings) },
    changes: changesContext(tender),
    criteria: criteriaUsed(tender).map((c) => ({
      id: c.id,
      version: c.version,
      authority: AUTHORITY_LABELS[c.authority.type],
      reference: c.authority.reference,
      source: c.authority.source ?? null,
      note: c.note ?? null,
    })),
    versions: `droit ${rules.versions.lawVersion}, cofinancement ${rules.versions.fundingVersion}, lus au ${formatDate(rules.versions.date)}`,
  };
}

function findingContext(f: Finding): NoteContext['findings']['items'][number] {
  const where = [f.lot === undefined ? null : `lot ${f.lot}`, f.path ?? null].filter((x) => x !== null).join(', ');
  return {
    severity: SEVERITY_LABELS[f.severity],
    message: f.message,
    where: where === '' ? null : where,
    comparison: f.comparison ?? null,
    action: f.action ?? null,
    reference: f.reference,
    source: f.source ?? null,
  };
}

function estimateContext(tender: ResolvedTender): Omit<NoteContext['estimate'], 'rows'> {
  let total = 0;
  let complete = true;
  const lots = tender.lots.map((lot) => {
    let lotTotal = 0;
    let lotComplete = true;
    const lines = lot.lines.map((line) => {
      if (line.estimatedUnitPrice === undefined) {
        lotComplete = false;
        return { label: line.item.label, quantity: formatInteger(line.quantity), unitPrice: '—', amount: '—' };
      }
      const amount = roundCents(line.quantity * line.estimatedUnitPrice);
      lotTotal += amount;
      return { label: line.item.label, quantity: formatInteger(line.quantity), unitPrice: formatMoney(line.estimatedUnitPrice), amount: formatMoney(amount) };
    });
    total += lotTotal;
    complete &&= lotComplete;
    return { number: lot.number, title: lot.title, lines, total: formatMoney(roundCents(lotTotal)), complete: lotComplete };
  });
  const any = tender.lots.some((l) => l.lines.some((line) => line.estimatedUnitPrice !== undefined));
  return { any, lots, total: formatMoney(roundCents(total)), complete };
}

function keptSentence(n: number): string {
  if (n === 0) return 'Aucune exigence ministérielle minimale ne s’applique à cette sélection.';
  if (n === 1) return 'L’exigence ministérielle minimale applicable est conservée ou renforcée.';
  return `Les ${formatCount(n, 'exigence', 'exigences')} ministérielles minimales applicables sont conservées ou renforcées.`;
}

const CHANGE_LABELS = {
  tightened: 'seuil renforcé',
  loosened: 'seuil assoupli',
  raised: 'rendue éliminatoire',
  lowered: 'rendue appréciée',
} as const;

function changeOf(r: ResolvedRequirement): string | null {
  const parts: string[] = [];
  if (r.change.metric !== 'same' && r.criterion) {
    parts.push(`${CHANGE_LABELS[r.change.metric]} : ${formatThreshold(r.metric)} au lieu de ${formatThreshold(r.referenceMetric)}`);
  }
  if (r.change.level !== 'same') parts.push(CHANGE_LABELS[r.change.level]);
  return parts.length === 0 ? null : parts.join(' ; ');
}

function changesContext(tender: ResolvedTender): NoteContext['changes'] {
  const items = tender.lots.flatMap((lot) =>
    lot.requirements.flatMap((r) => {
      const change = changeOf(r);
      return change === null ? [] : [{ lot: lot.number, reference: r.reference, label: r.label, change, justification: r.justification ?? null }];
    }),
  );
  const excluded = tender.lots.flatMap((lot) =>
    lot.excluded.map((e) => ({ lot: lot.number, id: e.criterion.id, label: e.criterion.label, justification: e.justification ?? null })),
  );
  return { any: items.length > 0 || excluded.length > 0, items, excluded };
}
