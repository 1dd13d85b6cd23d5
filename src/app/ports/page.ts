/** One page of a listing. `cursor` is opaque; pass it back to get the next page; absent on the last page. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface PageRequest {
  /** The `cursor` of the previous page. Cursors are bound to the listing that issued them. */
  cursor?: string;
  /** Page size, 1 to 100; 25 when absent. */
  limit?: number;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
