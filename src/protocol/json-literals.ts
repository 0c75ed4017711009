import { MAX_PAYLOAD_DEPTH } from './nesting.js';

/**
 * The number literals of a JSON text exactly as written, keyed by JSON pointer. JSON.parse turns
 * `5.0` and `5` into the same number; the OCPP datatype rules (Part 2 §2.1.4) are about how the
 * value is written, so they need the text. The input must be valid JSON (parse it first). The reader recurses with the text's nesting, so a
 * text nested past MAX_PAYLOAD_DEPTH (plus the frame around the payload) throws a RangeError of
 * its own before the stack could run out.
 */
export function numberLiteralsOf(text: string): Map<string, string> {
  const literals = new Map<string, string>();
  let at = 0;

  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const readString = (): string => {
    const start = at;
    at++;
    while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const readValue = (pointer: string, depth: number): void => {
    if (depth > MAX_PAYLOAD_DEPTH + 1) throw new RangeError(`JSON text nested deeper than ${MAX_PAYLOAD_DEPTH + 1} levels`);
    skipSpace();
    const first = text[at];
    if (first === '{') {
      at++;
      skipSpace();
      while (text[at] !== '}') {
        skipSpace();
        const key = readString();
        skipSpace();
        at++; // the colon
        readValue(`${pointer}/${escapePointer(key)}`, depth + 1);
        skipSpace();
        if (text[at] === ',') at++;
        skipSpace();
      }
      at++;
    } else if (first === '[') {
      at++;
      skipSpace();
      for (let index = 0; text[at] !== ']'; index++) {
        readValue(`${pointer}/${index}`, depth + 1);
        skipSpace();
        if (text[at] === ',') at++;
        skipSpace();
      }
      at++;
    } else if (first === '"') {
      readString();
    } else {
      const start = at;
      while (at < text.length && !',]} \t\n\r'.includes(text[at]!)) at++;
      const literal = text.slice(start, at);
      if (literal !== 'true' && literal !== 'false' && literal !== 'null') literals.set(pointer, literal);
    }
  };

  readValue('', 0);
  return literals;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
