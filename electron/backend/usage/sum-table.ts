const EMPTY = -1;
/** Positions fit below this in `order`'s packed keys: a table holds at most 2^20 entries. */
const POSITIONS = 2 ** 20;
/**
 * A token sum is kept as `high` × CARRY + `low`, each part a double: `low` stays below CARRY, so
 * adding any count below CARRY (usage-row bounds them far lower) is exact however large the sum.
 */
const CARRY = 2 ** 52;
const BIG_CARRY = 2n ** 52n;
/** What an INTEGER column holds. */
const INT64_MAX = 2n ** 63n - 1n;

/** The exact value of a sum kept in two parts: a number while a double holds it exactly. */
function exact(low: number, high: number): number | bigint {
  if (high === 0) return low;
  const value = BigInt(high) * BIG_CARRY + BigInt(low);
  if (value > INT64_MAX)
    throw new Error('An import batch sums more than 9,223,372,036,854,775,807 tokens under one key.');
  return value;
}

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
  /** How many times CARRY the input and output sums hold besides `input` and `output`. */
  readonly inputHigh: Float64Array;
  readonly outputHigh: Float64Array;
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
    this.inputHigh = new Float64Array(capacity);
    this.outputHigh = new Float64Array(capacity);
    this.records = new Float64Array(capacity);
    // Open addressing at most half full.
    let slots = 2;
    while (slots < capacity * 2) slots *= 2;
    this.slots = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
  }

  /** Adds counts (each below 2^52) and, from another table's sums, their high parts. */
  add(
    a: number,
    b: number,
    c: number,
    input: number,
    output: number,
    records: number,
    inputHigh = 0,
    outputHigh = 0,
  ): void {
    // ToInt32 wraps larger integers, which is all a hash needs.
    let slot =
      (Math.imul(a | 0, 0x9e3779b1) ^ Math.imul(b | 0, 0x85ebca6b) ^ Math.imul(c | 0, 0xc2b2ae35)) &
      this.mask;
    for (;;) {
      const at = this.slots[slot] as number;
      if (at === EMPTY) break;
      if (this.a[at] === a && this.b[at] === b && this.c[at] === c) {
        this.addAt(at, input, output, records, inputHigh, outputHigh);
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
    this.input[at] = 0;
    this.output[at] = 0;
    this.inputHigh[at] = 0;
    this.outputHigh[at] = 0;
    this.records[at] = 0;
    this.addAt(at, input, output, records, inputHigh, outputHigh);
  }

  private addAt(
    at: number,
    input: number,
    output: number,
    records: number,
    inputHigh: number,
    outputHigh: number,
  ) {
    // Two parts below CARRY sum below 2^53, which a double holds exactly; the carry keeps `low` small.
    let low = (this.input[at] as number) + input;
    let high = (this.inputHigh[at] as number) + inputHigh;
    if (low >= CARRY) {
      low -= CARRY;
      high++;
    }
    this.input[at] = low;
    this.inputHigh[at] = high;
    low = (this.output[at] as number) + output;
    high = (this.outputHigh[at] as number) + outputHigh;
    if (low >= CARRY) {
      low -= CARRY;
      high++;
    }
    this.output[at] = low;
    this.outputHigh[at] = high;
    (this.records[at] as number) += records;
  }

  /** Adds entry `at` of `from` (its sums, both parts) under this table's key (a, b, c). */
  addEntry(a: number, b: number, c: number, from: SumTable, at: number): void {
    this.add(
      a,
      b,
      c,
      from.input[at] as number,
      from.output[at] as number,
      from.records[at] as number,
      from.inputHigh[at] as number,
      from.outputHigh[at] as number,
    );
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

  /** Entry `at`'s exact sums into `out` from `offset`, refusing totals an INTEGER column cannot hold. */
  copySums(at: number, out: (number | bigint)[], offset: number): void {
    out[offset] = exact(this.input[at] as number, this.inputHigh[at] as number);
    out[offset + 1] = exact(this.output[at] as number, this.outputHigh[at] as number);
    out[offset + 2] = this.records[at] as number;
  }
}
