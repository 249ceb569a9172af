// SQLite FTS5's unicode61 folding, ported as it is from sqlite3.c (fts5_unicode2.c, machine
// generated there from Unicode's CaseFolding.txt and decompositions; public domain). Its tables
// follow an older Unicode than the engine's own toLowerCase: ς, µ and ſ fold here, Cherokee and
// Georgian Mtavruli do not. Knowledge snippets (knowledge-snippet.ts) fold words with it, so they
// mark what SQLite's search matched.

/** sqlite3Fts5UnicodeFold's aEntry: ranges of code points folded to lower case, as [first, flags, count]. */
const CASE_RANGES = [
  65, 14, 26, 181, 64, 1, 192, 14, 23, 216, 14, 7, 256, 1, 48, 306, 1, 6, 313, 1, 16, 330, 1, 46, 376, 116, 1,
  377, 1, 6, 383, 104, 1, 385, 50, 1, 386, 1, 4, 390, 44, 1, 391, 0, 1, 393, 42, 2, 395, 0, 1, 398, 32, 1,
  399, 38, 1, 400, 40, 1, 401, 0, 1, 403, 42, 1, 404, 46, 1, 406, 52, 1, 407, 48, 1, 408, 0, 1, 412, 52, 1,
  413, 54, 1, 415, 56, 1, 416, 1, 6, 422, 60, 1, 423, 0, 1, 425, 60, 1, 428, 0, 1, 430, 60, 1, 431, 0, 1, 433,
  58, 2, 435, 1, 4, 439, 62, 1, 440, 0, 1, 444, 0, 1, 452, 2, 1, 453, 0, 1, 455, 2, 1, 456, 0, 1, 458, 2, 1,
  459, 1, 18, 478, 1, 18, 497, 2, 1, 498, 1, 4, 502, 122, 1, 503, 134, 1, 504, 1, 40, 544, 110, 1, 546, 1, 18,
  570, 70, 1, 571, 0, 1, 573, 108, 1, 574, 68, 1, 577, 0, 1, 579, 106, 1, 580, 28, 1, 581, 30, 1, 582, 1, 10,
  837, 36, 1, 880, 1, 4, 886, 0, 1, 902, 18, 1, 904, 16, 3, 908, 26, 1, 910, 24, 2, 913, 14, 17, 931, 14, 9,
  962, 0, 1, 975, 4, 1, 976, 140, 1, 977, 142, 1, 981, 146, 1, 982, 144, 1, 984, 1, 24, 1008, 136, 1, 1009,
  138, 1, 1012, 130, 1, 1013, 128, 1, 1015, 0, 1, 1017, 152, 1, 1018, 0, 1, 1021, 110, 3, 1024, 34, 16, 1040,
  14, 32, 1120, 1, 34, 1162, 1, 54, 1216, 6, 1, 1217, 1, 14, 1232, 1, 88, 1329, 22, 38, 4256, 66, 38, 4295,
  66, 1, 4301, 66, 1, 7680, 1, 150, 7835, 132, 1, 7838, 96, 1, 7840, 1, 96, 7944, 150, 8, 7960, 150, 6, 7976,
  150, 8, 7992, 150, 8, 8008, 150, 6, 8025, 151, 8, 8040, 150, 8, 8072, 150, 8, 8088, 150, 8, 8104, 150, 8,
  8120, 150, 2, 8122, 126, 2, 8124, 148, 1, 8126, 100, 1, 8136, 124, 4, 8140, 148, 1, 8152, 150, 2, 8154, 120,
  2, 8168, 150, 2, 8170, 118, 2, 8172, 152, 1, 8184, 112, 2, 8186, 114, 2, 8188, 148, 1, 8486, 98, 1, 8490,
  92, 1, 8491, 94, 1, 8498, 12, 1, 8544, 8, 16, 8579, 0, 1, 9398, 10, 26, 11264, 22, 47, 11360, 0, 1, 11362,
  88, 1, 11363, 102, 1, 11364, 90, 1, 11367, 1, 6, 11373, 84, 1, 11374, 86, 1, 11375, 80, 1, 11376, 82, 1,
  11378, 0, 1, 11381, 0, 1, 11390, 78, 2, 11392, 1, 100, 11499, 1, 4, 11506, 0, 1, 42560, 1, 46, 42624, 1, 24,
  42786, 1, 14, 42802, 1, 62, 42873, 1, 4, 42877, 76, 1, 42878, 1, 10, 42891, 0, 1, 42893, 74, 1, 42896, 1, 4,
  42912, 1, 10, 42922, 72, 1, 65313, 14, 26,
];
/** Its aiOff: what `flags >> 1` of a range adds to a code point (modulo 2^16). */
const CASE_OFFSETS = [
  1, 2, 8, 15, 16, 26, 28, 32, 37, 38, 40, 48, 63, 64, 69, 71, 79, 80, 116, 202, 203, 205, 206, 207, 209, 210,
  211, 213, 214, 217, 218, 219, 775, 7264, 10792, 10795, 23228, 23256, 30204, 54721, 54753, 54754, 54756,
  54787, 54793, 54809, 57153, 57274, 57921, 58019, 58363, 61722, 65268, 65341, 65373, 65406, 65408, 65410,
  65415, 65424, 65436, 65439, 65450, 65462, 65472, 65476, 65478, 65480, 65482, 65488, 65506, 65511, 65514,
  65521, 65527, 65528, 65529,
];
/** fts5_remove_diacritic's aDia: (first code point << 3) | how many more, in order. */
const ACCENTED = [
  0, 1797, 1848, 1859, 1891, 1928, 1940, 1995, 2024, 2040, 2060, 2110, 2168, 2206, 2264, 2286, 2344, 2383,
  2472, 2488, 2516, 2596, 2668, 2732, 2782, 2842, 2894, 2954, 2984, 3000, 3028, 3336, 3456, 3696, 3712, 3728,
  3744, 3766, 3832, 3896, 3912, 3928, 3944, 3968, 4008, 4040, 4056, 4106, 4138, 4170, 4202, 4234, 4266, 4296,
  4312, 4344, 4408, 4424, 4442, 4472, 4488, 4504, 6148, 6198, 6264, 6280, 6360, 6429, 6505, 6529, 61448,
  61468, 61512, 61534, 61592, 61610, 61642, 61672, 61688, 61704, 61726, 61784, 61800, 61816, 61836, 61880,
  61896, 61914, 61948, 61998, 62062, 62122, 62154, 62184, 62200, 62218, 62252, 62302, 62364, 62410, 62442,
  62478, 62536, 62554, 62584, 62604, 62640, 62648, 62656, 62664, 62730, 62766, 62830, 62890, 62924, 62974,
  63032, 63050, 63082, 63118, 63182, 63242, 63274, 63310, 63368, 63390,
];
/** Its aChar: the ASCII letter each of those folds to (0: none), 0x80 set where it has several accents. */
const ACCENTED_AS = [
  0, 97, 99, 101, 105, 110, 111, 117, 121, 121, 97, 99, 100, 101, 101, 103, 104, 105, 106, 107, 108, 110, 111,
  114, 115, 116, 117, 117, 119, 121, 122, 111, 117, 97, 105, 111, 117, 245, 225, 103, 107, 111, 239, 106, 103,
  110, 225, 97, 101, 105, 111, 114, 117, 115, 116, 104, 97, 101, 239, 111, 239, 121, 0, 0, 0, 0, 0, 0, 0, 0,
  97, 98, 227, 100, 100, 229, 101, 229, 102, 103, 104, 104, 105, 233, 107, 108, 236, 108, 109, 110, 239, 112,
  114, 242, 114, 115, 243, 116, 117, 245, 118, 119, 119, 120, 121, 122, 104, 116, 119, 121, 97, 225, 225, 225,
  101, 229, 229, 105, 111, 239, 239, 239, 117, 245, 245, 121,
];

/** fts5_remove_diacritic with bComplex set (remove_diacritics 2): a Latin letter's ASCII letter. */
function withoutAccent(code: number): number {
  const key = ((code << 3) | 7) >>> 0;
  let low = 0;
  let high = ACCENTED.length - 1;
  let found = 0;
  while (high >= low) {
    const middle = (low + high) >> 1;
    if (key >= (ACCENTED[middle] as number)) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  const entry = ACCENTED[found] as number;
  return code > (entry >> 3) + (entry & 7) ? code : (ACCENTED_AS[found] as number) & 0x7f;
}

/**
 * sqlite3Fts5UnicodeFold with remove_diacritics 2: a code point as the tokenizer stores it (lower
 * case, accents off Latin letters; 0 for an accent it drops).
 */
export function foldCodePoint(code: number): number {
  if (code < 128) return code >= 65 && code <= 90 ? code + 32 : code;
  if (code < 65536) {
    let low = 0;
    let high = CASE_RANGES.length / 3 - 1;
    let found = -1;
    while (high >= low) {
      const middle = (low + high) >> 1;
      if (code - (CASE_RANGES[middle * 3] as number) >= 0) {
        found = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    let folded = code;
    if (found >= 0) {
      const first = CASE_RANGES[found * 3] as number;
      const flags = CASE_RANGES[found * 3 + 1] as number;
      const count = CASE_RANGES[found * 3 + 2] as number;
      if (code < first + count && (0x01 & flags & (first ^ code)) === 0)
        folded = (code + (CASE_OFFSETS[flags >> 1] as number)) & 0xffff;
    }
    return withoutAccent(folded);
  }
  // Deseret: the only letters past the Basic Multilingual Plane it folds.
  return code >= 66560 && code < 66600 ? code + 40 : code;
}

/** sqlite3Fts5UnicodeIsdiacritic: the accents of U+0300–U+0331 the tokenizer keeps in a word. */
export function isDiacritic(code: number): boolean {
  if (code < 768 || code > 817) return false;
  return code < 800 ? ((0x08029fdf >>> (code - 768)) & 1) === 1 : ((0x000361f8 >>> (code - 800)) & 1) === 1;
}
