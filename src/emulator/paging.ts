// Offset paging (page/per_page/include_totals) and checkpoint paging (from/take) over ordered lists.
// Response shapes and key order follow recorded Auth0 traffic: {total, start, limit, <key>} and {<key>, next}.
import type { Json } from './collection.js';
import { invalidQuery } from './errors.js';

export type Query = Record<string, string | string[] | undefined>;

export function queryValue(query: Query, key: string): string | undefined {
  const value = query[key];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function integerParam(query: Query, key: string, min: number, max?: number): number | undefined {
  const raw = queryValue(query, key);
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalidQuery(`Expected type integer but found type string`, key);
  const value = Number(raw);
  if (value < min) throw invalidQuery(`Number is less than the minimum of ${min}`, key);
  if (max !== undefined && value > max) throw invalidQuery(`Number is greater than the maximum of ${max}`, key);
  return value;
}

export function booleanParam(query: Query, key: string): boolean | undefined {
  const raw = queryValue(query, key);
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalidQuery('Expected type boolean but found type string', key);
}

export interface PageOptions {
  /** Name of the list in the response: clients, connections, resource_servers, client_grants. */
  key: string;
  /** Whether the endpoint also accepts from/take. */
  checkpoint: boolean;
  /** Position of an item's id, to turn a `from` cursor into an index. */
  positionOf?: (id: string) => number | undefined;
  idOf?: (item: Json) => string;
}

/** Pages `items` (already filtered, in list order) as the query asks, returning the response body. */
export function paginate(items: readonly Json[], query: Query, options: PageOptions): unknown {
  const take = options.checkpoint ? integerParam(query, 'take', 1, 100) : undefined;
  const from = options.checkpoint ? queryValue(query, 'from') : undefined;
  if (take !== undefined || (from !== undefined && from !== '')) {
    return checkpointPage(items, from, take ?? 50, options);
  }
  const perPage = integerParam(query, 'per_page', 0, 100);
  const page = integerParam(query, 'page', 0) ?? 0;
  const includeTotals = booleanParam(query, 'include_totals') ?? false;
  const limit = perPage ?? 50;
  const start = page * limit;
  const slice = perPage === undefined && queryValue(query, 'page') === undefined ? items.slice(0, 50) : items.slice(start, start + limit);
  if (!includeTotals) return slice;
  return { total: items.length, start, limit, [options.key]: slice };
}

function checkpointPage(items: readonly Json[], from: string | undefined, take: number, options: PageOptions): Json {
  let startIndex = 0;
  if (from) {
    startIndex = decodeCursor(from, items, options);
  }
  const slice = items.slice(startIndex, startIndex + take);
  const body: Json = { [options.key]: slice };
  const nextItem = items[startIndex + take];
  if (nextItem && options.idOf) body.next = encodeCursor(options.idOf(nextItem));
  return body;
}

function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** Cursors name the first item of the next page; filtered lists are searched, full lists use the index. */
function decodeCursor(cursor: string, items: readonly Json[], options: PageOptions): number {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  const idOf = options.idOf;
  if (!idOf) return 0;
  const indexed = options.positionOf?.(id);
  if (indexed !== undefined && items[indexed] !== undefined && idOf(items[indexed]) === id) return indexed;
  const found = items.findIndex((item) => idOf(item) === id);
  if (found >= 0) return found;
  throw invalidQuery('Invalid checkpoint', 'from');
}
