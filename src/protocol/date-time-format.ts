import type { Ajv } from 'ajv';

/**
 * Puts a shortcut before ajv-formats's `date-time` check: the form every OCPP producer writes,
 * `2026-11-21T00:00:00.000Z` (any number of decimals, or none), is proved valid from its
 * characters; any other text goes to ajv-formats's own check, which splits it and runs two
 * regular expressions (about a twentieth of `trace`'s time on a log, issue 14). The shortcut
 * accepts nothing that check rejects: RFC 3339 §5.6 with month days, leap years and a zone.
 */
export function speedUpDateTimeFormat(ajv: Ajv): void {
  const format = ajv.formats['date-time'];
  const original = typeof format === 'object' && 'validate' in format ? format.validate : format;
  if (typeof original !== 'function') return;
  const validate = (text: string) => isUsualUtcDateTime(text) || (original as (text: string) => boolean)(text);
  ajv.addFormat('date-time', typeof format === 'object' && 'compare' in format ? { ...format, validate } as never : validate);
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The fields of text that starts `YYYY-MM-DDTHH:MM:SS`: year, month, day, hour, minute, second, each -1 where a digit is not. */
export type DateTimeFields = [number, number, number, number, number, number];

/** Reads the fields of text that starts `YYYY-MM-DDTHH:MM:SS` (without a regexp); undefined when the separators are not where they belong. */
export function dateTimeFieldsOf(text: string): DateTimeFields | undefined {
  if (text.length < 19 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') return undefined;
  return [digitsValue(text, 0, 4), digitsValue(text, 5, 7), digitsValue(text, 8, 10), digitsValue(text, 11, 13), digitsValue(text, 14, 16), digitsValue(text, 17, 19)];
}

// `YYYY-MM-DDTHH:MM:SS[.d+]Z`, each field in its range.
function isUsualUtcDateTime(text: string): boolean {
  const end = text.length - 1;
  const fields = text.charCodeAt(end) === 0x5a /* Z */ ? dateTimeFieldsOf(text) : undefined;
  if (!fields) return false;
  const [year, month, day, hour, minute, second] = fields;
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (day > daysInMonth(year, month)) return false;
  if (end === 19) return true;
  // A fraction: a point and at least one digit, up to the Z.
  return text[19] === '.' && end > 20 && digitsValue(text, 20, end) >= 0;
}

/** How many days a month (1 to 12) of a year of the Gregorian calendar has. */
export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month]!;
}

/** The value of the decimal digits text[from..to), or -1 when one is no digit (read without a substring or a regexp). */
export function digitsValue(text: string, from: number, to: number): number {
  let value = 0;
  for (let at = from; at < to; at++) {
    const digit = text.charCodeAt(at) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
