import { mkdirSync } from 'node:fs';

/** A wrong flag or flag value: printed as one line, exit code 2. */
export class UsageError extends Error {
  readonly code = 'OH_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `--listen 127.0.0.1:9000` (or another HOST:PORT flag, named in the message) → host and port. */
export function parseListen(text: string, flag = '--listen'): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || !match[1] || port > 65535) throw new UsageError(`${flag}: expected HOST:PORT, e.g. 127.0.0.1:9000; got "${text}"`);
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}

/** `--target ws://host:port/path`: a WebSocket URL (OCPP-J: ws, or wss for TLS), checked before anything starts. */
export function parseTarget(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'ws:' && url.protocol !== 'wss:')) {
    throw new UsageError(`--target: expected a ws:// or wss:// URL, e.g. ws://127.0.0.1:9000/ocpp; got "${text}"`);
  }
  return text;
}

/** `--shard 2/3` → index 2 of 3. */
export function parseShard(text: string): { index: number; total: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) throw new UsageError(`--shard: expected I/N with 1 <= I <= N, e.g. 1/3; got "${text}"`);
  return { index, total };
}

/** A positive whole number flag. */
export function parsePositiveInteger(flag: string, example: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag}: expected a positive whole number, e.g. ${example}; got "${text}"`);
    return value;
  };
}

/** A whole number flag from 0 to `max`. */
export function parseCount(flag: string, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || value > max) throw new UsageError(`${flag}: expected a whole number from 0 to ${max}; got "${text}"`);
    return value;
  };
}

/** A positive number flag (may have decimals). */
export function parsePositiveNumber(flag: string, example: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag}: expected a positive number, e.g. ${example}; got "${text}"`);
    return value;
  };
}

/**
 * `--out DIR`: made (with its parents) before anything runs, so a path that cannot be a folder is
 * one line at the start, not a failure per written file.
 */
export function makeOutDir(dir: string, flag = '--out'): string {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    // mkdir reports a file in the way as EEXIST (the folder itself) or ENOTDIR (a parent).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new UsageError(`${flag}: ${dir} cannot be a folder: a file is in the way`);
    throw error;
  }
  return dir;
}

/**
 * A flag that takes one of `choices` per use and may be repeated (`--ocpp 1.6 --ocpp 2.0.1`): one
 * value per flag, so the case ids after it stay case ids (a variadic option would swallow them).
 */
export function repeatableChoice<T extends string>(flag: string, choices: readonly T[]) {
  return (text: string, previous: T[] = []): T[] => {
    const value = choices.find((choice) => choice === text);
    if (value === undefined) throw new UsageError(`${flag}: expected one of ${choices.join(', ')}; got "${text}"`);
    return [...previous, value];
  };
}

/** A TCP port flag: 0 (any free port) to 65535. */
export function parsePort(flag: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d{1,5}$/.test(text) || value > 65535) throw new UsageError(`${flag}: expected a port from 0 (any free one) to 65535, e.g. 8080; got "${text}"`);
    return value;
  };
}
