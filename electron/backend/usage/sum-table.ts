import { TOKEN_SUMS } from '../store/repos/usage-import-repo';

const EMPTY = -1;
/** Positions fit below this in `order`'s packed keys: a table holds at most 2^20 entries. */
const POSITIONS = 2 ** 20;
/** Sums per entry: every rollup's token sums and its record count, in TOKEN_SUMS order. */
export const SUM_COUNT = TOKEN_SUMS.length;

/** The fewest hash slots a scope starts with. */
const MIN_SLOTS = 16;

/**
 * Token sums keyed by four named integers (each below 2^53), in typed arrays: an import batch adds
 * a few hundred thousand rows, and a Map of strings or objects would spend most of its time on
 * allocation and garbage collection. Sums are plain doubles, exact because a batch's counts add up
 * below 2^53 (see `batchBuilder`), and every sum here is a sum of one batch's rows. Holds at most
 * `capacity` keys; `clear` empties it for the next batch without new memory.
 *
 * Keys are looked up within a scope (`scope`): when the caller adds its rows a group at a time and
 * no key of one group is in another (a day's rows, a month's days), each group's lookups stay in a
 * hash table the size of the group, which the processor's cache holds, not one the size of the batch.
 */
export class SumTable<Key extends string> {
  /** Each key part's column, by its name. */
  readonly key: Record<Key, Float64Array>;
  /** SUM_COUNT sums per entry, entry after entry. */
  readonly sums: Float64Array;
  size = 0;
  private readonly k0: Float64Array;
  private readonly k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  /** Open addressing over the scope's entries, at most half full. */
  private slots = new Int32Array(MIN_SLOTS).fill(EMPTY);
  private mask = MIN_SLOTS - 1;
  /** The first entry of the current scope. */
  private scopeStart = 0;

  constructor(
    readonly capacity: number,
    names: readonly [Key, Key, Key, Key],
  ) {
    if (capacity > POSITIONS) throw new Error(`A SumTable holds at most ${POSITIONS} entries.`);
    const columns = names.map(() => new Float64Array(capacity)) as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    [this.k0, this.k1, this.k2, this.k3] = columns;
    this.key = Object.fromEntries(names.map((name, at) => [name, columns[at]])) as Record<Key, Float64Array>;
    this.sums = new Float64Array(capacity * SUM_COUNT);
  }

  /** Empties the table, one scope for all keys. */
  clear(): void {
    this.size = 0;
    this.scope(0);
  }

  /**
   * Starts a scope: keys added from now on are looked up among each other only. `expected` is how
   * many keys it will likely hold (more are fine).
   */
  scope(expected: number): void {
    this.scopeStart = this.size;
    this.resize(expected);
  }

  /** Hash slots for `keys` keys of the scope, at most half full, its entries placed again. */
  private resize(keys: number): void {
    let slots = MIN_SLOTS;
    while (slots < keys * 2) slots *= 2;
    if (slots > this.slots.length) this.slots = new Int32Array(slots);
    this.slots.fill(EMPTY, 0, slots);
    this.mask = slots - 1;
    for (let at = this.scopeStart; at < this.size; at++) {
      let slot = this.hash(
        this.k0[at] as number,
        this.k1[at] as number,
        this.k2[at] as number,
        this.k3[at] as number,
      );
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
      this.slots[slot] = at;
    }
  }

  private hash(k0: number, k1: number, k2: number, k3: number): number {
    // ToInt32 wraps larger integers, which is all a hash needs.
    return (
      (Math.imul(k0 | 0, 0x9e3779b1) ^
        Math.imul(k1 | 0, 0x85ebca6b) ^
        Math.imul(k2 | 0, 0xc2b2ae35) ^
        Math.imul(k3 | 0, 0x27d4eb2f)) &
      this.mask
    );
  }

  /** Adds entry `at` of `from` (its sums) to the entry of key (k0, k1, k2, k3). */
  addEntry(k0: number, k1: number, k2: number, k3: number, from: SumTable<string>, at: number): void {
    const base = this.entry(k0, k1, k2, k3) * SUM_COUNT;
    const offset = at * SUM_COUNT;
    for (let i = 0; i < SUM_COUNT; i++)
      this.sums[base + i] = (this.sums[base + i] as number) + (from.sums[offset + i] as number);
  }

  /**
   * The position of key (k0, k1, k2, k3)'s entry in the current scope, made with zero sums if it is
   * new: the caller adds to `sums` from position × SUM_COUNT.
   */
  entry(k0: number, k1: number, k2: number, k3: number): number {
    let slot = this.hash(k0, k1, k2, k3);
    let at: number;
    for (;;) {
      at = this.slots[slot] as number;
      if (at === EMPTY) break;
      if (this.k0[at] === k0 && this.k1[at] === k1 && this.k2[at] === k2 && this.k3[at] === k3) return at;
      slot = (slot + 1) & this.mask;
    }
    if (this.size === this.capacity) throw new Error('SumTable is full');
    at = this.size++;
    this.k0[at] = k0;
    this.k1[at] = k1;
    this.k2[at] = k2;
    this.k3[at] = k3;
    this.sums.fill(0, at * SUM_COUNT, (at + 1) * SUM_COUNT);
    if ((this.size - this.scopeStart) * 2 > this.mask + 1) this.resize(this.size - this.scopeStart);
    else this.slots[slot] = at;
    return at;
  }

  /** Entry positions ordered by `rank` (an integer below 2^33), see `positionsBy`. */
  order(rank: (at: number) => number): Int32Array {
    return positionsBy(this.size, rank);
  }

  /** Entry `at`'s sums into `out` from `offset`. */
  copySums(at: number, out: Float64Array, offset: number): void {
    const base = at * SUM_COUNT;
    for (let i = 0; i < SUM_COUNT; i++) out[offset + i] = this.sums[base + i] as number;
  }
}

/** `table` emptied when it holds `capacity` entries, else a new one that does. */
export function sumTableFor<Key extends string>(
  table: SumTable<Key> | undefined,
  capacity: number,
  names: readonly [Key, Key, Key, Key],
): SumTable<Key> {
  if (table === undefined || table.capacity < capacity) return new SumTable(capacity, names);
  table.clear();
  return table;
}

/**
 * Positions 0 … size − 1 (size at most 2^20) ordered by `rank` (an integer below 2^33), ties in
 * position order: packed with the position into one double each and sorted natively, many times
 * faster than a comparison callback.
 */
export function positionsBy(size: number, rank: (at: number) => number): Int32Array {
  if (size > POSITIONS) throw new Error(`At most ${POSITIONS} positions are ordered at once.`);
  const packed = new Float64Array(size);
  for (let at = 0; at < size; at++) packed[at] = rank(at) * POSITIONS + at;
  packed.sort();
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[i] = (packed[i] as number) % POSITIONS;
  return order;
}
