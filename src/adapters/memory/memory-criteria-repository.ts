import * as z from 'zod';
import { CatalogueItemVersionSchema, OfferVersionSchema, type CatalogueEntryKind, type CatalogueItem, type Framework, type Offer } from '#src/core/model/catalogue.ts';
import { CriterionIdSchema, type Category, type Criterion, type CriterionRef } from '#src/core/model/criterion.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import type { CatalogueEntryVersions, CriteriaRepository, CriterionDraft, FrameworkDraft } from '#src/app/ports/criteria-repository.ts';
import type { Page, PageRequest } from '#src/app/ports/page.ts';
import { AlreadyExistsError, VersionConflictError } from '#src/app/errors.ts';
import { canExist, categoryPageLimit, frameworkCriteriaPage, nextVersion, nextVersionOf, pinFramework, refKey } from '../stores/criteria.ts';
import { compareBytes, decodeCursor, encodeCursor } from '../stores/paging.ts';
import { detached, Faults, roundTrip } from './faults.ts';

const byId = (a: { id: string }, b: { id: string }) => compareBytes(a.id, b.id);

/**
 * Criteria, frameworks, item and offer versions in memory, with the semantics of the DynamoDB adapter
 * (test/contracts/criteria-repository.contract.ts runs against both): contiguous immutable
 * versions behind an optimistic lock, frameworks published once with their criteria pinned,
 * listings in id order with cursors bound to their listing, the same validation (shared in
 * src/adapters/stores/). A version write is atomic here, so the stale-LATEST window of the table
 * (a crash between its two puts) does not exist.
 */
export class MemoryCriteriaRepository implements CriteriaRepository {
  /** Versions of each criterion, version n at index n - 1. */
  private readonly criteria = new Map<string, Criterion[]>();
  /** Versions of each framework, version n at index n - 1. */
  private readonly frameworks = new Map<string, Framework[]>();
  readonly faults = new Faults<'criterion-version' | 'framework-version' | 'item-version' | 'offer-version'>();
  readonly items = new MemoryEntryVersions<CatalogueItem>('item', CatalogueItemVersionSchema, () => this.faults.check('item-version'));
  readonly offers = new MemoryEntryVersions<Offer>('offer', OfferVersionSchema, () => this.faults.check('offer-version'));

  async getLatest(id: string): Promise<Criterion> {
    const latest = this.criteria.get(id)?.at(-1);
    if (!latest) throw new NotFoundError('criterion', id);
    return detached(latest);
  }

  async getVersion(id: string, version: number): Promise<Criterion> {
    return detached(this.findVersion({ id, version }));
  }

  async listVersions(id: string): Promise<Criterion[]> {
    return detached(this.criteria.get(id) ?? []);
  }

  async batchGetVersions(refs: readonly CriterionRef[]): Promise<Criterion[]> {
    return detached(refs.map((ref) => this.findVersion(ref)));
  }

  async putNewVersion(draft: CriterionDraft, expectedVersion: number): Promise<Criterion> {
    const criterion = nextVersion(draft, expectedVersion);
    await roundTrip();
    const versions = this.criteria.get(criterion.id) ?? [];
    if (versions.length !== expectedVersion) {
      throw new VersionConflictError('criterion', criterion.id, expectedVersion, versions.length);
    }
    this.faults.check('criterion-version');
    this.criteria.set(criterion.id, [...versions, detached(criterion)]);
    return criterion;
  }

  async listByCategory(category: Category, page: PageRequest = {}): Promise<Page<Criterion>> {
    const limit = categoryPageLimit(category, page);
    const after =
      page.cursor === undefined ? undefined : decodeCursor(page.cursor, z.strictObject({ category: z.literal(category), after: CriterionIdSchema })).after;
    const latest = [...this.criteria.values()]
      .map((versions) => versions.at(-1)!)
      .filter((c) => c.category === category && (after === undefined || compareBytes(c.id, after) > 0))
      .sort(byId);
    const items = latest.slice(0, limit);
    return latest.length > limit ? { items: detached(items), cursor: encodeCursor({ category, after: items.at(-1)!.id }) } : { items: detached(items) };
  }

  async getFramework(id: string, version: number): Promise<Framework> {
    return detached(this.findFramework(id, version));
  }

  async getLatestFramework(id: string): Promise<Framework> {
    const latest = this.frameworks.get(id)?.at(-1);
    if (!latest) throw new NotFoundError('framework', id);
    return detached(latest);
  }

  async listFrameworks(): Promise<Framework[]> {
    return detached([...this.frameworks.values()].map((versions) => versions.at(-1)!).sort(byId));
  }

  async listByFramework(frameworkId: string, version: number, page: PageRequest = {}): Promise<Page<Criterion>> {
    return frameworkCriteriaPage(this, frameworkId, version, page);
  }

  async publishFramework(draft: FrameworkDraft): Promise<Framework> {
    const framework = await pinFramework(draft, {
      latestVersions: async (ids) => new Map(ids.flatMap((id) => (this.criteria.has(id) ? [[id, this.criteria.get(id)!.length] as const] : []))),
      existingRefs: async (refs) => new Set(refs.filter((ref) => this.hasVersion(ref)).map(refKey)),
      frameworkExists: async (id, version) => (this.frameworks.get(id)?.length ?? 0) >= version,
      entryVersions: (kind) => (kind === 'item' ? this.items : this.offers).listAll(),
    });
    await roundTrip();
    const versions = this.frameworks.get(framework.id) ?? [];
    if (versions.length >= framework.version) throw new AlreadyExistsError('framework', `${framework.id}@${framework.version}`);
    this.faults.check('framework-version');
    this.frameworks.set(framework.id, [...versions, detached(framework)]);
    return framework;
  }

  private hasVersion(ref: CriterionRef): boolean {
    return canExist.ref(ref) && this.criteria.get(ref.id)?.[ref.version - 1] !== undefined;
  }

  private findFramework(id: string, version: number): Framework {
    const framework = canExist.version(version) ? this.frameworks.get(id)?.[version - 1] : undefined;
    if (!framework) throw new NotFoundError('framework', `${id}@${version}`);
    return framework;
  }

  private findVersion(ref: CriterionRef): Criterion {
    if (!this.hasVersion(ref)) throw new NotFoundError('criterion', refKey(ref));
    return this.criteria.get(ref.id)![ref.version - 1]!;
  }
}

/** The versions of items or of offers in memory, with the semantics of the DynamoDB adapter. */
class MemoryEntryVersions<T extends { id: string }> implements CatalogueEntryVersions<T> {
  /** Versions of each entry, version n at index n - 1. */
  private readonly versions = new Map<string, Array<T & { version: number }>>();

  constructor(
    private readonly kind: CatalogueEntryKind,
    private readonly schema: z.ZodType<T & { version: number }>,
    /** Called just before a version is written (the armed faults). */
    private readonly beforeWrite: () => void,
  ) {}

  async getLatest(id: string): Promise<T & { version: number }> {
    const latest = this.versions.get(id)?.at(-1);
    if (!latest) throw new NotFoundError(this.kind, id);
    return detached(latest);
  }

  async listVersions(id: string): Promise<Array<T & { version: number }>> {
    return detached(this.versions.get(id) ?? []);
  }

  async listAll(): Promise<Array<T & { version: number }>> {
    return detached([...this.versions.values()].flat().sort((a, b) => byId(a, b) || a.version - b.version));
  }

  async listLatest(): Promise<Array<T & { version: number }>> {
    return detached([...this.versions.values()].map((versions) => versions.at(-1)!).sort(byId));
  }

  async putNewVersion(draft: T & { version?: number }, expectedVersion: number): Promise<T & { version: number }> {
    const entry = nextVersionOf(this.schema, draft, expectedVersion);
    await roundTrip();
    const versions = this.versions.get(entry.id) ?? [];
    if (versions.length !== expectedVersion) throw new VersionConflictError(this.kind, entry.id, expectedVersion, versions.length);
    this.beforeWrite();
    this.versions.set(entry.id, [...versions, detached(entry)]);
    return entry;
  }
}
