import * as z from 'zod';
import { CatalogueItemSchema, OfferSchema, type CatalogueItem, type Framework, type Offer } from '#src/core/model/catalogue.ts';
import { CriterionIdSchema, type Category, type Criterion, type CriterionRef } from '#src/core/model/criterion.ts';
import { NotFoundError } from '#src/core/model/errors.ts';
import type { CriteriaRepository, CriterionDraft, FrameworkDraft } from '#src/app/ports/criteria-repository.ts';
import type { Page, PageRequest } from '#src/app/ports/page.ts';
import { AlreadyExistsError, VersionConflictError } from '#src/app/errors.ts';
import { canExist, categoryPageLimit, frameworkCriteriaPage, nextVersion, pinFramework, refKey, validateAll } from '../stores/criteria.ts';
import { compareBytes, decodeCursor, encodeCursor } from '../stores/paging.ts';
import { detached, Faults, roundTrip } from './faults.ts';

const byId = (a: { id: string }, b: { id: string }) => compareBytes(a.id, b.id);

/**
 * Criteria, frameworks, items and offers in memory, with the semantics of the DynamoDB adapter
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
  private readonly items = new Map<string, CatalogueItem>();
  private readonly offers = new Map<string, Offer>();
  readonly faults = new Faults<'criterion-version' | 'framework-version' | 'items' | 'offers'>();

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
    });
    await roundTrip();
    const versions = this.frameworks.get(framework.id) ?? [];
    if (versions.length >= framework.version) throw new AlreadyExistsError('framework', `${framework.id}@${framework.version}`);
    this.faults.check('framework-version');
    this.frameworks.set(framework.id, [...versions, detached(framework)]);
    return framework;
  }

  async putItems(items: readonly CatalogueItem[]): Promise<void> {
    const valid = validateAll(items, CatalogueItemSchema, 'items');
    await roundTrip();
    this.faults.check('items');
    for (const item of valid) this.items.set(item.id, detached(item));
  }

  async putOffers(offers: readonly Offer[]): Promise<void> {
    const valid = validateAll(offers, OfferSchema, 'offers');
    await roundTrip();
    this.faults.check('offers');
    for (const offer of valid) this.offers.set(offer.id, detached(offer));
  }

  async listItems(): Promise<CatalogueItem[]> {
    return detached([...this.items.values()].sort(byId));
  }

  async listOffers(): Promise<Offer[]> {
    return detached([...this.offers.values()].sort(byId));
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
