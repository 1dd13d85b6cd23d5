import type { Finding, Severity } from '#src/core/model/findings.ts';

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Total order on findings: severity (error → warning → info), then code, then lot (findings about
 * the whole request first), then path, criterion and message so that equal keys never depend on
 * the order the rules happened to run in. Plain code-unit comparison, never locale-dependent.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareText(a.code, b.code) ||
    (a.lot ?? 0) - (b.lot ?? 0) ||
    compareText(a.path ?? '', b.path ?? '') ||
    compareText(a.criterionId ?? '', b.criterionId ?? '') ||
    compareText(a.message, b.message)
  );
}

/** A sorted copy; the input is left untouched. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}
