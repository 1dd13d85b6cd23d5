import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as z from 'zod';
import { CatalogueItemSchema, FrameworkSchema, OfferSchema } from '#src/core/model/catalogue.ts';
import type { Catalogue, CatalogueItem, Framework, Offer } from '#src/core/model/catalogue.ts';
import { CriterionSchema } from '#src/core/model/criterion.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { issuesFromZod, ValidationError, type Issue } from '#src/core/model/errors.ts';
import { currentCriterionIssues } from '#src/core/model/requirement-text.ts';

const CRITERIA_FILE = 'criteria.json';
const FROZEN_CRITERIA_FILE = 'criteria-frozen.json';
const ITEMS_FILE = 'items.json';
const OFFERS_FILE = 'offers.json';
const FRAMEWORKS_DIR = 'frameworks';

/**
 * Reads and validates a catalogue directory: `criteria.json`, `items.json`, `offers.json` and
 * `frameworks/*.json` (one framework version per file, read in name order), and
 * `criteria-frozen.json` when present.
 * Every entry is checked against its schema, then every reference between files is checked.
 * `criteria.json` holds the current criterion versions, whose texts must take their thresholds
 * from their metrics (requirement-text.ts); `criteria-frozen.json` keeps superseded versions as
 * they were published, unchecked, so that a framework pinning them still resolves byte for byte.
 * All problems are reported together as one ValidationError whose issue paths start with the
 * file name, e.g. "criteria.json.12.metric.value".
 */
export async function loadCatalogue(dir: string): Promise<Catalogue> {
  const issues: Issue[] = [];

  const criteriaFile = await parseArrayFile(dir, CRITERIA_FILE, CriterionSchema, issues);
  const frozenFile = await parseArrayFile(dir, FROZEN_CRITERIA_FILE, CriterionSchema, issues, { optional: true });
  criteriaFile.parsed.forEach(({ index, value }) => {
    for (const issue of currentCriterionIssues(value)) issues.push({ ...issue, path: `${CRITERIA_FILE}.${index}.${issue.path}` });
  });
  const itemsFile = await parseArrayFile(dir, ITEMS_FILE, CatalogueItemSchema, issues);
  const offersFile = await parseArrayFile(dir, OFFERS_FILE, OfferSchema, issues);
  const frameworkFiles = await parseFrameworks(dir, issues);

  // References are checked against the ids the files declare, even for entries that failed
  // their schema, so one malformed entry does not cascade into a dozen dangling-reference issues.
  const criterionVersions = new Map<string, Set<number>>();
  const current = new Map<string, number>();
  for (const [file, raw] of [[CRITERIA_FILE, criteriaFile.raw], [FROZEN_CRITERIA_FILE, frozenFile.raw]] as const) {
    raw.forEach((entry, index) => {
      const id = stringField(entry, 'id');
      if (id === undefined) return;
      const version = numberField(entry, 'version');
      const versions = criterionVersions.get(id) ?? new Set<number>();
      if (version !== undefined) {
        if (versions.has(version)) {
          issues.push({ path: `${file}.${index}.version`, message: `duplicate criterion ${id} v${version}` });
        }
        versions.add(version);
        if (file === CRITERIA_FILE) current.set(id, Math.max(version, current.get(id) ?? 0));
      }
      criterionVersions.set(id, versions);
    });
  }
  // A frozen version escapes the text checks only because a newer one replaces it.
  frozenFile.raw.forEach((entry, index) => {
    const id = stringField(entry, 'id');
    const version = numberField(entry, 'version');
    if (id === undefined || version === undefined) return;
    if ((current.get(id) ?? 0) <= version) {
      issues.push({ path: `${FROZEN_CRITERIA_FILE}.${index}.version`, message: `criterion ${id} v${version} is frozen but ${CRITERIA_FILE} has no newer version of it` });
    }
  });
  const itemIds = uniqueIds(itemsFile.raw, ITEMS_FILE, 'item', issues);
  const offerIds = uniqueIds(offersFile.raw, OFFERS_FILE, 'offer', issues);

  const frameworkKeys = new Set<string>();
  for (const { file, framework } of frameworkFiles) {
    if (!framework) continue;
    const key = `${framework.id}@${framework.version}`;
    if (frameworkKeys.has(key)) {
      issues.push({ path: `${file}.version`, message: `duplicate framework ${framework.id} v${framework.version}` });
    }
    frameworkKeys.add(key);
    framework.criteria.forEach((ref, i) => {
      const versions = criterionVersions.get(ref.id);
      if (!versions) {
        issues.push({ path: `${file}.criteria.${i}.id`, message: `unknown criterion "${ref.id}"` });
      } else if (!versions.has(ref.version)) {
        issues.push({ path: `${file}.criteria.${i}.version`, message: `criterion "${ref.id}" has no version ${ref.version}` });
      }
    });
    // The files hold version 1 of each item and offer (later versions are written through the API).
    for (const [key, ids] of [['items', itemIds], ['offers', offerIds]] as const) {
      framework[key]?.forEach((ref, i) => {
        if (!ids.has(ref.id)) issues.push({ path: `${file}.${key}.${i}.id`, message: `unknown ${key.slice(0, -1)} "${ref.id}"` });
        else if (ref.version !== 1) issues.push({ path: `${file}.${key}.${i}.version`, message: `the catalogue files hold version 1 of ${key}, not version ${ref.version}` });
      });
    }
    framework.fundingRule.eligibleItems?.forEach((itemId, i) => {
      if (!itemIds.has(itemId)) {
        issues.push({ path: `${file}.fundingRule.eligibleItems.${i}`, message: `unknown item "${itemId}"` });
      }
    });
  }

  criteriaFile.parsed.forEach(({ index, value: criterion }) => {
    for (const key of ['count', 'per'] as const) {
      criterion.lotScale?.[key].forEach((itemId, i) => {
        if (!itemIds.has(itemId)) issues.push({ path: `${CRITERIA_FILE}.${index}.lotScale.${key}.${i}`, message: `unknown item "${itemId}"` });
      });
    }
  });

  itemsFile.parsed.forEach(({ index, value: item }) => {
    const seen = new Set<string>();
    item.criteria.forEach((criterionId, i) => {
      if (!criterionVersions.has(criterionId)) {
        issues.push({ path: `${ITEMS_FILE}.${index}.criteria.${i}`, message: `unknown criterion "${criterionId}"` });
      } else if (seen.has(criterionId)) {
        issues.push({ path: `${ITEMS_FILE}.${index}.criteria.${i}`, message: `criterion "${criterionId}" is listed twice` });
      }
      seen.add(criterionId);
    });
  });

  offersFile.parsed.forEach(({ index, value: offer }) => {
    offer.items.forEach((line, i) => {
      if (!itemIds.has(line.itemId)) {
        issues.push({ path: `${OFFERS_FILE}.${index}.items.${i}.itemId`, message: `unknown item "${line.itemId}"` });
      }
    });
  });

  if (issues.length > 0) throw new ValidationError(issues);
  return {
    frameworks: frameworkFiles.map((f) => f.framework).filter((f): f is Framework => f !== undefined),
    criteria: [...criteriaFile.parsed, ...frozenFile.parsed].map((p) => p.value),
    items: itemsFile.parsed.map((p) => p.value),
    offers: offersFile.parsed.map((p) => p.value),
  };
}

interface ParsedArrayFile<T> {
  /** The entries as read, valid or not. */
  raw: unknown[];
  /** The entries that passed their schema, with their position in the file. */
  parsed: { index: number; value: T }[];
}

async function parseArrayFile<T>(
  dir: string,
  file: string,
  schema: z.ZodType<T>,
  issues: Issue[],
  options: { optional?: boolean } = {},
): Promise<ParsedArrayFile<T>> {
  if (options.optional && !(await exists(join(dir, file)))) return { raw: [], parsed: [] };
  const data = await readJson(dir, file, issues);
  if (data === undefined) return { raw: [], parsed: [] };
  if (!Array.isArray(data)) {
    issues.push({ path: file, message: 'expected a JSON array' });
    return { raw: [], parsed: [] };
  }
  const parsed: { index: number; value: T }[] = [];
  data.forEach((entry, index) => {
    const result = schema.safeParse(entry);
    if (result.success) parsed.push({ index, value: result.data });
    else issues.push(...issuesFromZod(result.error, `${file}.${index}`));
  });
  return { raw: data, parsed };
}

async function parseFrameworks(dir: string, issues: Issue[]): Promise<{ file: string; framework?: Framework }[]> {
  let names: string[];
  try {
    names = (await readdir(join(dir, FRAMEWORKS_DIR))).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    issues.push({ path: FRAMEWORKS_DIR, message: `cannot read the directory (${errorMessage(error)})` });
    return [];
  }
  if (names.length === 0) {
    issues.push({ path: FRAMEWORKS_DIR, message: 'no framework file' });
    return [];
  }
  const result: { file: string; framework?: Framework }[] = [];
  for (const name of names) {
    const file = `${FRAMEWORKS_DIR}/${name}`;
    const data = await readJson(dir, file, issues);
    if (data === undefined) continue;
    const parsed = FrameworkSchema.safeParse(data);
    if (parsed.success) result.push({ file, framework: parsed.data });
    else {
      issues.push(...issuesFromZod(parsed.error, file));
      result.push({ file });
    }
  }
  return result;
}

async function readJson(dir: string, file: string, issues: Issue[]): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch (error) {
    issues.push({ path: file, message: `cannot read the file (${errorMessage(error)})` });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    issues.push({ path: file, message: `invalid JSON (${errorMessage(error)})` });
    return undefined;
  }
}

function uniqueIds(entries: unknown[], file: string, what: string, issues: Issue[]): Set<string> {
  const ids = new Set<string>();
  entries.forEach((entry, index) => {
    const id = stringField(entry, 'id');
    if (id === undefined) return;
    if (ids.has(id)) issues.push({ path: `${file}.${index}.id`, message: `duplicate ${what} id "${id}"` });
    ids.add(id);
  });
  return ids;
}

function stringField(entry: unknown, key: string): string | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const value = (entry as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

function numberField(entry: unknown, key: string): number | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const value = (entry as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
