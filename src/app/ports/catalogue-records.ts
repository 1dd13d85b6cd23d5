import type { StoredCatalogue } from '#src/core/model/stored-catalogue.ts';
import type { Page, PageRequest } from './page.ts';

/**
 * The records of stored catalogues. Call `put` only once the uploaded file and every report the
 * record names exist in the document store: a record never points at missing objects; objects
 * without a record are orphans.
 */
export interface CatalogueRecords {
  /** Records a catalogue; AlreadyExistsError when its id is taken (nothing is written). */
  put(record: StoredCatalogue): Promise<void>;

  /** NotFoundError when there is no such catalogue. */
  get(id: string): Promise<StoredCatalogue>;

  /** One owner's catalogues, or every one (`owner` undefined), newest first. */
  list(owner: string | undefined, page?: PageRequest): Promise<Page<StoredCatalogue>>;

  /** Deletes a record; deleting a missing record is not an error. */
  delete(id: string): Promise<void>;
}
