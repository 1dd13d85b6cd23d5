import { ValidationError } from '#src/core/model/errors.ts';
import type { FormatDescriptor, OutputAdapter, OutputRegistry } from './ports/outputs.ts';

/**
 * A registry over a list of formats and the adapters they select. Outputs come in the order of
 * `outputs` whatever the order asked for; every adapter's format must be one of `formats`, and file
 * names are unique.
 */
export function createOutputRegistry(
  formats: readonly FormatDescriptor[],
  outputs: readonly OutputAdapter[],
  defaultFormats: readonly string[],
): OutputRegistry {
  const names = new Set(formats.map((f) => f.name));
  const stray = outputs.find((o) => !names.has(o.format));
  if (stray) throw new Error(`output ${stray.fileName} has unknown format ${stray.format}`);
  const files = outputs.map((o) => o.fileName);
  if (new Set(files).size !== files.length) throw new Error('output file names must be unique');
  if (defaultFormats.some((f) => !names.has(f))) throw new Error('default formats must be registered');
  return {
    formats,
    defaultFormats,
    outputsFor: (selected) => outputs.filter((o) => selected.includes(o.format)),
  };
}

/** Why a list of formats was refused: nothing asked for, or names the registry does not know. */
export type FormatProblem = { kind: 'empty' } | { kind: 'unknown'; names: string[] };

/**
 * The formats a caller asks for, checked against the registry and put in its canonical order
 * (each once); `undefined` means the registry's default. The one place formats are checked: the
 * CLI words a problem in French, the API as a 422 on `formats`.
 */
export function selectFormats(
  registry: Pick<OutputRegistry, 'formats' | 'defaultFormats'>,
  requested: readonly string[] | undefined,
): { formats: string[] } | { problem: FormatProblem } {
  if (requested === undefined) return { formats: [...registry.defaultFormats] };
  if (requested.length === 0) return { problem: { kind: 'empty' } };
  const known = registry.formats.map((f) => f.name);
  const unknown = [...new Set(requested.filter((f) => !known.includes(f)))];
  if (unknown.length > 0) return { problem: { kind: 'unknown', names: unknown } };
  return { formats: known.filter((f) => requested.includes(f)) };
}

/** selectFormats, with a problem thrown as a ValidationError on `formats`. */
export function requireFormats(registry: Pick<OutputRegistry, 'formats' | 'defaultFormats'>, requested: readonly string[] | undefined): string[] {
  const selection = selectFormats(registry, requested);
  if ('formats' in selection) return selection.formats;
  const { problem } = selection;
  const expected = `expected one or more of ${registry.formats.map((f) => f.name).join(', ')}`;
  throw new ValidationError([
    {
      path: 'formats',
      message: problem.kind === 'empty' ? expected : `${expected}; unknown: ${problem.names.map((f) => JSON.stringify(f)).join(', ')}`,
    },
  ]);
}
