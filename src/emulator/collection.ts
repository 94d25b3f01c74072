// An insertion-ordered table of objects by id, with a cached ordered view for paging.
// The view is rebuilt once per change, never per request, so large tenants page in linear time.

export type Json = Record<string, unknown>;

export class Collection<T extends Json> {
  private readonly byId = new Map<string, T>();
  private ordered: T[] | null = null;
  private positions: Map<string, number> | null = null;

  constructor(private readonly idOf: (item: T) => string) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Inserts or replaces; a replaced object keeps its place in the order. */
  put(item: T): void {
    const id = this.idOf(item);
    const existed = this.byId.has(id);
    this.byId.set(id, item);
    if (!existed) this.invalidate();
    else if (this.ordered && this.positions) {
      const at = this.positions.get(id);
      if (at !== undefined) this.ordered[at] = item;
    }
  }

  delete(id: string): boolean {
    const removed = this.byId.delete(id);
    if (removed) this.invalidate();
    return removed;
  }

  all(): readonly T[] {
    if (!this.ordered) {
      this.ordered = [...this.byId.values()];
      this.positions = new Map(this.ordered.map((item, index) => [this.idOf(item), index]));
    }
    return this.ordered;
  }

  /** Position of an id in `all()`, for checkpoint cursors. */
  positionOf(id: string): number | undefined {
    this.all();
    return this.positions?.get(id);
  }

  private invalidate(): void {
    this.ordered = null;
    this.positions = null;
  }
}
