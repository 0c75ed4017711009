import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Random } from './random.js';

/** How a seed's text is built, so that structure-aware mutations can keep it readable enough to get deep. */
export type Syntax = 'json' | 'jsonl' | 'yaml' | 'frame-log';

/** Turns one input into another. */
export type Mutator = (input: Buffer, random: Random, syntax: Syntax) => Buffer;

/**
 * Text the parsers meet in the wild and trip over: control characters, a byte order mark, bidi
 * and line separators, astral and combining characters, noncharacters, and (as a JSON escape)
 * a lone surrogate, which JSON.parse accepts and UTF-8 cannot encode.
 */
const ODD_TEXT = ['\u0000', '\uFEFF', '\u202E', '\u2028', '\u2029', '\u{1F600}', 'e\u0301\u0301\u0301', '\uFFFF', '\u{10FFFF}', '\\ud800', '\\udfff', '"', '\\', '\r\n', '\t'];

/** Numbers at the edges of what JSON, JavaScript and the OCPP integer and decimal types hold. */
const ODD_NUMBERS = ['1e400', '-1e400', '9007199254740993', '-0', '1e-400', '0.1e999999999', '123456789012345678901234567890', '2147483648', '-2147483649', '4294967296', '1.0000000000000000000001', '0e0'];

/** Values of every JSON type, to put where another type belongs. */
const WRONG_TYPES: readonly unknown[] = [null, true, false, 0, -1, 1.5, '', 'x', [], {}, [null], { '': null }, '1', 'true', 'null'];

// A bare word stands in for raw text (a number JSON cannot hold, deep nesting) until the tree is
// written back; both JSON and YAML print it as a plain token, quoted in JSON.
const marker = (index: number) => `FUZZMARK${index}ZZ`;

/** Flips one bit of one byte: invalid UTF-8, broken escapes, a digit that becomes a letter. */
const flipBit: Mutator = (input, random) => {
  if (input.length === 0) return input;
  const output = Buffer.from(input);
  const at = random.below(output.length);
  output[at] = output[at]! ^ (1 << random.below(8));
  return output;
};

/** Cuts the input short, maybe inside a character, a string or a line. */
const truncate: Mutator = (input, random) => input.subarray(0, random.below(input.length + 1));

/** Drops a slice or repeats one: lost lines, doubled records. */
const spliceSlice: Mutator = (input, random) => {
  const from = random.below(input.length + 1);
  const to = Math.min(input.length, from + random.between(1, 64));
  if (random.chance(0.5)) return Buffer.concat([input.subarray(0, from), input.subarray(to)]);
  return Buffer.concat([input.subarray(0, to), input.subarray(from, to), input.subarray(to)]);
};

/** Puts odd text at a random place. */
const insertOddText: Mutator = (input, random) => {
  const text = input.toString('utf8');
  const at = random.below(text.length + 1);
  return Buffer.from(`${text.slice(0, at)}${random.pick(ODD_TEXT)}${text.slice(at)}`, 'utf8');
};

/** Doubles a line: in YAML a duplicated key, in JSONL a repeated record. */
const duplicateLine: Mutator = (input, random) => {
  const lines = input.toString('utf8').split('\n');
  const at = random.below(lines.length);
  lines.splice(at, 0, lines[at]!);
  return Buffer.from(lines.join('\n'), 'utf8');
};

/** YAML's own traps: aliases that expand exponentially, merge keys, tags, tabs, odd indentation. */
const yamlTrap: Mutator = (input, random) => {
  const lines = input.toString('utf8').split('\n');
  const at = random.below(lines.length + 1);
  const traps = [
    'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    'loop: &loop\n  self: *loop', '<<: *missing', '<<: {ocpp: "2.0.1"}', 'x: !!binary AAAA', 'x: !!set {a, b}', 'x: !!omap [a: 1]', 'x: !custom 1',
    'x: !!timestamp 2001-12-14', 'x: !!float .nan', '\tx: 1', '      x: 1', '? [a, b]\n: c', '---', '...', 'x: |\n  text', 'x: *undefined',
  ];
  lines.splice(at, 0, random.pick(traps));
  return Buffer.from(lines.join('\n'), 'utf8');
};

/**
 * The structure-aware mutation: reads a JSON or YAML document out of the input (the whole text,
 * one JSONL line, the frame after a frame-log marker, or a JSON text held in a string, like a
 * trace record's `raw`), replaces one node of it and writes it back in the same syntax.
 */
const mutateTree: Mutator = (input, random, syntax) => {
  const text = input.toString('utf8');
  if (syntax === 'yaml') return Buffer.from(rewriteDocument(text, 'yaml', random) ?? text, 'utf8');
  if (syntax === 'json') return Buffer.from(rewriteDocument(text, 'json', random) ?? text, 'utf8');
  const lines = text.split('\n');
  const candidates = lines.map((line, index) => ({ index, start: line.search(/[[{]/) })).filter((entry) => entry.start >= 0);
  if (candidates.length === 0) return input;
  const { index, start } = random.pick(candidates);
  const line = lines[index]!;
  const rewritten = rewriteDocument(line.slice(start), 'json', random);
  if (rewritten !== undefined) lines[index] = `${line.slice(0, start)}${rewritten}`;
  return Buffer.from(lines.join('\n'), 'utf8');
};

/** Every mutator, the structure-aware one weighted up: it reaches past the parsers' first checks. */
export function mutatorsFor(syntax: Syntax): readonly Mutator[] {
  const common = [flipBit, truncate, spliceSlice, insertOddText, duplicateLine, mutateTree, mutateTree, mutateTree, mutateTree];
  return syntax === 'yaml' ? [...common, yamlTrap, yamlTrap] : common;
}

/** Applies one to four mutations in a row. */
export function mutate(input: Buffer, random: Random, syntax: Syntax): Buffer {
  const mutators = mutatorsFor(syntax);
  let output = input;
  for (let count = random.between(1, 4); count > 0; count--) output = random.pick(mutators)(output, random, syntax);
  return output;
}

// ---- the tree mutation -------------------------------------------------------------------

interface Slot {
  holder: Record<string, unknown> | unknown[];
  key: string | number;
}

function rewriteDocument(text: string, syntax: 'json' | 'yaml', random: Random): string | undefined {
  let root: unknown;
  try {
    root = syntax === 'json' ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  const box: Record<string, unknown> = { root };
  const slots = slotsOf(box);
  const slot = random.pick(slots);
  const raws: string[] = [];
  const duplicates: string[] = [];
  replaceAt(slot, random, raws, duplicates);
  let written: string;
  try {
    written = syntax === 'json' ? JSON.stringify(box['root']) : stringifyYaml(box['root']);
  } catch {
    // An earlier mutation nested the tree deeper than the writers recurse: keep the input as it is.
    return undefined;
  }
  raws.forEach((raw, index) => (written = written.replace(new RegExp(`"?${marker(index)}"?`), () => raw)));
  duplicates.forEach((key, index) => (written = written.replace(new RegExp(`"?${marker(raws.length + index)}"?`), () => JSON.stringify(key))));
  return written;
}

/** Every place a value sits, breadth first, without recursion (the tree may already be deep). */
function slotsOf(box: Record<string, unknown>): Slot[] {
  const slots: Slot[] = [{ holder: box, key: 'root' }];
  for (let next = 0; next < slots.length && slots.length < 5_000; next++) {
    const { holder, key } = slots[next]!;
    const value = (holder as Record<string | number, unknown>)[key];
    if (Array.isArray(value)) value.forEach((_, index) => slots.push({ holder: value, key: index }));
    else if (value !== null && typeof value === 'object') Object.keys(value).forEach((child) => slots.push({ holder: value as Record<string, unknown>, key: child }));
    // A string that holds JSON (a trace record's raw frame) is a document of its own.
    else if (typeof value === 'string' && /^\s*[[{]/.test(value)) slots.push({ holder, key });
  }
  return slots;
}

function replaceAt(slot: Slot, random: Random, raws: string[], duplicates: string[]): void {
  const holder = slot.holder as Record<string | number, unknown>;
  const current = holder[slot.key];
  const raw = (text: string) => {
    raws.push(text);
    return marker(raws.length - 1);
  };
  switch (random.below(8)) {
    case 0:
      holder[slot.key] = raw(random.pick(ODD_NUMBERS));
      break;
    case 1:
      holder[slot.key] = structuredClone(random.pick(WRONG_TYPES));
      break;
    case 2:
      holder[slot.key] = raw(JSON.stringify(`${typeof current === 'string' ? current : ''}${random.pick(ODD_TEXT)}`).replace(/\\\\u(d[89a-f])/g, '\\u$1'));
      break;
    case 3:
      holder[slot.key] = raw(deepNesting(random));
      break;
    case 4:
      holder[slot.key] = 'x'.repeat(random.pick([37, 256, 1_000, 70_000]));
      break;
    case 5: {
      // A duplicated key: the marker key is renamed to an existing one after writing.
      if (current === null || typeof current !== 'object' || Array.isArray(current) || Object.keys(current).length === 0) {
        holder[slot.key] = [current, current];
        break;
      }
      const key = random.pick(Object.keys(current));
      // Slots after the raw ones: numbered after every raw text this rewrite adds (none after this).
      duplicates.push(key);
      (current as Record<string, unknown>)[marker(raws.length + duplicates.length - 1)] = structuredClone(random.pick(WRONG_TYPES));
      break;
    }
    case 6:
      if (Array.isArray(slot.holder)) slot.holder.splice(Number(slot.key), 1);
      else delete holder[slot.key];
      break;
    default:
      holder[slot.key] = typeof current === 'string' && /^\s*[[{]/.test(current) ? rewriteDocument(current, 'json', random) ?? current : structuredClone(random.pick(WRONG_TYPES));
  }
}

/** Arrays or objects nested hundreds to a hundred thousand deep, as text (building them would recurse). */
function deepNesting(random: Random): string {
  const depth = random.pick([100, 1_000, 5_000, 20_000, 100_000]);
  return random.chance(0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
