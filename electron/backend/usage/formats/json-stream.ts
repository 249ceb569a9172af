/**
 * A JSON reader that never holds more of its input than one record: text is fed in chunks, and the
 * containers the visitor chooses to walk (a page, its list of buckets, a bucket's results) are
 * handed over member by member, while every other value (a record) is built whole from its own
 * text, up to a size limit. The input may hold several values one after another (JSON Lines, or
 * pages saved one per line); text that is not JSON is reported by line and skipped to the next line.
 */

/** Keys and indexes from the top-level value down to a member. */
export type JsonPath = readonly (string | number)[];
export type ContainerKind = 'object' | 'array';

export interface JsonVisitor {
  /** Whether the container opening at `path` is walked (its members handed over) or built whole. */
  walk(path: JsonPath, kind: ContainerKind): boolean;
  /** A walked container opens on `line`. */
  open(path: JsonPath, kind: ContainerKind, line: number): void;
  /** A value built whole, starting on `line`: a top-level value or a member of a walked container. */
  value(path: JsonPath, value: unknown, line: number): void;
  /** A walked container closes. */
  close(path: JsonPath, kind: ContainerKind): void;
  /** A value starting on `line` is longer than the limit: it is skipped, unread. */
  tooLarge(path: JsonPath, line: number): void;
  /** The text on `line` is not JSON: every open container is dropped, reading goes on at the next line. */
  invalid(line: number): void;
}

interface Frame {
  kind: ContainerKind;
  path: JsonPath;
  /** object: start → key → colon → value → comma (→ key); array: start → value → comma (→ value). */
  expect: 'start' | 'key' | 'colon' | 'value' | 'comma';
  key: string;
  index: number;
}

/** A value being built from its text. */
interface Building {
  path: JsonPath;
  line: number;
  parts: string[];
  length: number;
  /** A number, true, false or null: it ends at the first delimiter. */
  scalar: boolean;
  depth: number;
  inString: boolean;
  escaped: boolean;
  tooLarge: boolean;
}

const NEWLINE = 10;
const QUOTE = 34;
const BACKSLASH = 92;
const isSpace = (code: number) => code === 32 || code === 10 || code === 13 || code === 9;
/** Where a number, true, false or null ends. */
const endsScalar = (code: number) => isSpace(code) || code === 44 || code === 93 || code === 125;
const startsScalar = (char: string) => '-0123456789tfn'.includes(char);
/** An object key longer than this is not one an export has. */
const MAX_KEY = 10_000;

export function createJsonStream(visitor: JsonVisitor, maxValueChars: number) {
  const stack: Frame[] = [];
  let building: Building | undefined;
  /** An object key being read: its text so far. */
  let keyText: string | undefined;
  let keyEscaped = false;
  let line = 1;
  /** After text that is not JSON: skip to the next line. */
  let skipping = false;

  const top = () => stack[stack.length - 1];

  function fail(): void {
    visitor.invalid(line);
    stack.length = 0;
    building = undefined;
    keyText = undefined;
    skipping = true;
  }

  /** A member (or top-level value) is complete: its container expects a comma or its end. */
  function memberDone(): void {
    const frame = top();
    if (frame !== undefined) frame.expect = 'comma';
  }

  function finishBuilding(text: string): void {
    const done = building as Building;
    building = undefined;
    if (done.tooLarge || done.length + text.length > maxValueChars) visitor.tooLarge(done.path, done.line);
    else {
      let value: unknown;
      try {
        value = JSON.parse(done.parts.length === 0 ? text : done.parts.join('') + text);
      } catch {
        fail();
        return;
      }
      visitor.value(done.path, value, done.line);
    }
    memberDone();
  }

  /** Starts the value whose first character is `char` at `path`; false when no value starts so. */
  function startValue(path: JsonPath, char: string): boolean {
    if (char === '{' || char === '[') {
      const kind: ContainerKind = char === '{' ? 'object' : 'array';
      if (visitor.walk(path, kind)) {
        stack.push({ kind, path, expect: 'start', key: '', index: 0 });
        visitor.open(path, kind, line);
        return true;
      }
    } else if (char !== '"' && !startsScalar(char)) return false;
    building = {
      path,
      line,
      parts: [],
      length: 0,
      scalar: char !== '"' && char !== '{' && char !== '[',
      depth: 0,
      inString: false,
      escaped: false,
      tooLarge: false,
    };
    return true;
  }

  /** Reads on in the value being built from `at`; returns where its text ends (exclusive), or -1. */
  function scanBuilding(chunk: string, at: number): number {
    const value = building as Building;
    // The next quote and backslash from where a string is being read (-2: not searched yet).
    let quote = -2;
    let backslash = -2;
    for (let i = at; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (code === NEWLINE) line++;
      if (value.scalar) {
        if (endsScalar(code)) {
          if (code === NEWLINE) line--;
          return i;
        }
        continue;
      }
      if (value.inString) {
        if (value.escaped) {
          value.escaped = false;
          continue;
        }
        // Long texts (a document's body) are skipped to their next quote or backslash, not walked;
        // each is searched for again only once passed, so texts full of escapes stay linear.
        if (quote !== -1 && quote < i) quote = chunk.indexOf('"', i);
        if (backslash !== -1 && backslash < i) backslash = chunk.indexOf('\\', i);
        if (backslash !== -1 && (quote === -1 || backslash < quote)) {
          value.escaped = true;
          i = backslash;
          continue;
        }
        if (quote === -1) return -1;
        i = quote;
        value.inString = false;
        if (value.depth === 0) return i + 1;
        continue;
      }
      if (code === QUOTE) value.inString = true;
      else if (code === 123 || code === 91) value.depth++;
      else if (code === 125 || code === 93) {
        value.depth--;
        if (value.depth === 0) return i + 1;
      }
    }
    return -1;
  }

  function keep(text: string): void {
    const value = building as Building;
    if (value.tooLarge) return;
    value.length += text.length;
    if (value.length > maxValueChars) {
      value.tooLarge = true;
      value.parts = [];
    } else value.parts.push(text);
  }

  /** Structure around the built values: keys, colons, commas, walked containers' ends. */
  function structural(char: string): void {
    const frame = top();
    if (frame === undefined) {
      if (!startValue([], char)) fail();
      return;
    }
    if (frame.kind === 'object') {
      if ((frame.expect === 'start' || frame.expect === 'comma') && char === '}') {
        closeFrame();
        return;
      }
      if ((frame.expect === 'start' || frame.expect === 'key') && char === '"') {
        keyText = '"';
        keyEscaped = false;
        return;
      }
      if (frame.expect === 'colon' && char === ':') {
        frame.expect = 'value';
        return;
      }
      if (frame.expect === 'comma' && char === ',') {
        frame.expect = 'key';
        return;
      }
      if (frame.expect !== 'value' || !startValue([...frame.path, frame.key], char)) fail();
      return;
    }
    if ((frame.expect === 'start' || frame.expect === 'comma') && char === ']') {
      closeFrame();
      return;
    }
    if (frame.expect === 'comma' && char === ',') {
      frame.expect = 'value';
      frame.index++;
      return;
    }
    if (
      (frame.expect === 'start' || frame.expect === 'value') &&
      startValue([...frame.path, frame.index], char)
    )
      return;
    fail();
  }

  function closeFrame(): void {
    const frame = stack.pop() as Frame;
    visitor.close(frame.path, frame.kind);
    memberDone();
  }

  return {
    write(chunk: string): void {
      let i = 0;
      while (i < chunk.length) {
        if (skipping) {
          const end = chunk.indexOf('\n', i);
          if (end === -1) return;
          skipping = false;
          i = end;
          continue;
        }
        if (building !== undefined) {
          const end = scanBuilding(chunk, i);
          if (end === -1) {
            keep(chunk.slice(i));
            return;
          }
          const text = chunk.slice(i, end);
          i = end;
          finishBuilding(text);
          continue;
        }
        if (keyText !== undefined) {
          let end = -1;
          for (let at = i; at < chunk.length; at++) {
            const code = chunk.charCodeAt(at);
            if (keyEscaped) keyEscaped = false;
            else if (code === BACKSLASH) keyEscaped = true;
            else if (code === QUOTE) {
              end = at + 1;
              break;
            }
          }
          keyText += chunk.slice(i, end === -1 ? undefined : end);
          if (keyText.length > MAX_KEY) {
            fail();
            continue;
          }
          if (end === -1) return;
          i = end;
          const frame = top() as Frame;
          try {
            frame.key = JSON.parse(keyText) as string;
          } catch {
            fail();
            continue;
          }
          keyText = undefined;
          frame.expect = 'colon';
          continue;
        }
        const code = chunk.charCodeAt(i);
        if (isSpace(code)) {
          if (code === NEWLINE) line++;
          i++;
          continue;
        }
        structural(chunk[i] as string);
        // A value built whole is scanned from its first character (a string's quote, a container's
        // bracket); any other character was structure, taken.
        if (building === undefined) i++;
      }
    },
    /** The input ended: a value or container still open was cut off. */
    end(): void {
      if (building?.scalar) finishBuilding('');
      if (!skipping && (building !== undefined || keyText !== undefined || stack.length > 0)) fail();
    },
  };
}
