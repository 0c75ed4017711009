import { MAX_PAYLOAD_DEPTH } from './nesting.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * The number literals of a JSON text exactly as written, keyed by JSON pointer. JSON.parse turns
 * `5.0` and `5` into the same number; the OCPP datatype rules (Part 2 §2.1.4) are about how the
 * value is written, so they need the text. The input must be valid JSON (parse it first). The reader
 * recurses with the text's nesting, so a text nested past MAX_PAYLOAD_DEPTH (plus the frame around
 * the payload) throws a RangeError of its own before the stack could run out.
 */
export function numberLiteralsOf(text: string): Map<string, string> {
  const literals = new Map<string, string>();
  let at = 0;

  const skipSpace = () => {
    for (let code = text.charCodeAt(at); code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09; code = text.charCodeAt(++at));
  };
  // Returns the string's text; only a key with an escape in it needs JSON.parse.
  const readString = (): string => {
    const start = ++at;
    let escaped = false;
    for (let code = text.charCodeAt(at); code !== QUOTE; code = text.charCodeAt(at)) {
      if (code === BACKSLASH) {
        escaped = true;
        at += 2;
      } else {
        at++;
      }
    }
    at++;
    return escaped ? (JSON.parse(text.slice(start - 1, at)) as string) : text.slice(start, at - 1);
  };
  const readValue = (pointer: string, depth: number): void => {
    if (depth > MAX_PAYLOAD_DEPTH + 1) throw new RangeError(`JSON text nested deeper than ${MAX_PAYLOAD_DEPTH + 1} levels`);
    skipSpace();
    const first = text.charCodeAt(at);
    if (first === OPEN_BRACE) {
      at++;
      skipSpace();
      while (text.charCodeAt(at) !== CLOSE_BRACE) {
        skipSpace();
        const key = readString();
        skipSpace();
        at++; // the colon
        readValue(`${pointer}/${escapePointer(key)}`, depth + 1);
        skipSpace();
        if (text.charCodeAt(at) === COMMA) at++;
        skipSpace();
      }
      at++;
    } else if (first === OPEN_BRACKET) {
      at++;
      skipSpace();
      for (let index = 0; text.charCodeAt(at) !== CLOSE_BRACKET; index++) {
        readValue(`${pointer}/${index}`, depth + 1);
        skipSpace();
        if (text.charCodeAt(at) === COMMA) at++;
        skipSpace();
      }
      at++;
    } else if (first === QUOTE) {
      readString();
    } else {
      const start = at;
      for (let code = text.charCodeAt(at); at < text.length && code !== COMMA && code !== CLOSE_BRACKET && code !== CLOSE_BRACE && code > 0x20; code = text.charCodeAt(++at));
      const literal = text.slice(start, at);
      if (literal !== 'true' && literal !== 'false' && literal !== 'null') literals.set(pointer, literal);
    }
  };

  readValue('', 0);
  return literals;
}

function escapePointer(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
}
