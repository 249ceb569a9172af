const EMPTY = -1;
/** Positions fit below this in `order`'s packed keys: a table holds at most 2^20 entries. */
const POSITIONS = 2 ** 20;

/**
 * Token sums keyed by three integers (each below 2^53), in typed arrays: an import batch adds a
 * few hundred thousand rows, and a Map of strings or objects would spend most of its time on
 * allocation and garbage collection. Holds at most `capacity` keys.
 */
export class SumTable {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c: Float64Array;
  readonly input: Float64Array;
  readonly output: Float64Array;
  readonly records: Float64Array;
  size = 0;
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(readonly capacity: number) {
    if (capacity > POSITIONS) throw new Error(`A SumTable holds at most ${POSITIONS} entries.`);
    this.a = new Float64Array(capacity);
    this.b = new Float64Array(capacity);
    this.c = new Float64Array(capacity);
    this.input = new Float64Array(capacity);
    this.output = new Float64Array(capacity);
    this.records = new Float64Array(capacity);
    // Open addressing at most half full.
    let slots = 2;
    while (slots < capacity * 2) slots *= 2;
    this.slots = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
  }

  add(a: number, b: number, c: number, input: number, output: number, records: number): void {
    // ToInt32 wraps larger integers, which is all a hash needs.
    let slot =
      (Math.imul(a | 0, 0x9e3779b1) ^ Math.imul(b | 0, 0x85ebca6b) ^ Math.imul(c | 0, 0xc2b2ae35)) &
      this.mask;
    for (;;) {
      const at = this.slots[slot] as number;
      if (at === EMPTY) break;
      if (this.a[at] === a && this.b[at] === b && this.c[at] === c) {
        (this.input[at] as number) += input;
        (this.output[at] as number) += output;
        (this.records[at] as number) += records;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.size === this.capacity) throw new Error('SumTable is full');
    const at = this.size++;
    this.slots[slot] = at;
    this.a[at] = a;
    this.b[at] = b;
    this.c[at] = c;
    this.input[at] = input;
    this.output[at] = output;
    this.records[at] = records;
  }

  /**
   * Entry positions ordered by `rank` (an integer below 2^33): packed with the position into one
   * double each and sorted natively, many times faster than a comparison callback.
   */
  order(rank: (at: number) => number): Int32Array {
    const packed = new Float64Array(this.size);
    for (let at = 0; at < this.size; at++) packed[at] = rank(at) * POSITIONS + at;
    packed.sort();
    const order = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) order[i] = (packed[i] as number) % POSITIONS;
    return order;
  }

  /** Entry `at`'s sums into `out` from `offset`, refusing totals a double cannot hold exactly. */
  copySums(at: number, out: number[], offset: number): void {
    const input = this.input[at] as number;
    const output = this.output[at] as number;
    if (!Number.isSafeInteger(input) || !Number.isSafeInteger(output))
      throw new Error('An import batch sums more than 9,007,199,254,740,991 tokens under one key.');
    out[offset] = input;
    out[offset + 1] = output;
    out[offset + 2] = this.records[at] as number;
  }
}
