import * as z from 'zod';
import { SlugSchema } from '#src/core/model/catalogue.ts';
import { CategorySchema, type Criterion } from '#src/core/model/criterion.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { Page, PageRequest } from '#src/app/ports/page.ts';

/*
 * The criteria listing on its own, apart from the editors' use cases (criteria-admin.ts): the
 * catalogue-read function serves it and must not carry what publication checks against (the
 * funding programmes and, through them, the law records).
 */

export const CriteriaQuerySchema = z
  .object({
    category: CategorySchema.optional(),
    framework: SlugSchema.optional(),
    version: z.coerce.number().int().positive().optional().describe('Framework version; the latest when absent'),
    cursor: z.string().min(1).max(2048).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .refine((q) => (q.category === undefined) !== (q.framework === undefined), {
    message: 'give either category or framework',
    path: ['category'],
  })
  .refine((q) => q.version === undefined || q.framework !== undefined, { message: 'version needs framework', path: ['version'] });
export type CriteriaQuery = z.infer<typeof CriteriaQuerySchema>;

/** Latest criteria of a category, or the versions a framework pins, one page at a time. */
export async function listCriteria(query: CriteriaQuery, deps: { criteria: CriteriaRepository }): Promise<Page<Criterion>> {
  const page: PageRequest = {
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
  };
  if (query.category !== undefined) return deps.criteria.listByCategory(query.category, page);
  const frameworkId = query.framework!;
  try {
    const version = query.version ?? (await deps.criteria.getLatestFramework(frameworkId)).version;
    return await deps.criteria.listByFramework(frameworkId, version, page);
  } catch (error) {
    if (!(error instanceof NotFoundError) || error.resource !== 'framework') throw error;
    throw new ValidationError([{ path: 'framework', message: `unknown framework ${frameworkId}${query.version ? ` version ${query.version}` : ''}` }]);
  }
}
