/**
 * Offset paging of API_CONTRACT.md §a.3: `page` is 1-based; without `pageSize` the whole list is
 * returned (`pageSize = max(total, 1)`, `hasMore = false`), because the shipped client never
 * sends paging parameters and treats the first page as the complete collection.
 */

/** Paging parameters of a list request. */
export interface PageRequest {
  page?: number | undefined;
  pageSize?: number | undefined;
}

/** One page of a list, with the list's total. */
export interface PageSlice<T> {
  items: T[];
  total: number;
  page: number;
  /** Never 0: the client divides by it. */
  pageSize: number;
  hasMore: boolean;
}

/** The page of `all` that `request` asks for. */
export function paginate<T>(all: T[], request: PageRequest = {}): PageSlice<T> {
  const total = all.length;
  if (request.pageSize === undefined) {
    return { items: all, total, page: 1, pageSize: Math.max(total, 1), hasMore: false };
  }
  const page = request.page ?? 1;
  const start = (page - 1) * request.pageSize;
  const items = all.slice(start, start + request.pageSize);
  return { items, total, page, pageSize: request.pageSize, hasMore: start + items.length < total };
}

/** The wire shape of a page, its array under `key` (`data` unless the contract says otherwise). */
export function pageBody<T, K extends string = 'data'>(
  slice: PageSlice<T>,
  key: K = 'data' as K,
): { [P in K]: T[] } & Omit<PageSlice<T>, 'items'> {
  const { items, ...rest } = slice;
  return { ...rest, [key]: items } as { [P in K]: T[] } & Omit<PageSlice<T>, 'items'>;
}
