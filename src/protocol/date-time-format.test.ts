import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { speedUpDateTimeFormat } from './date-time-format.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

function validatorOf(speedUp: boolean): (text: string) => boolean {
  const ajv = new Ajv();
  addFormats(ajv);
  if (speedUp) speedUpDateTimeFormat(ajv);
  const validate = ajv.compile({ type: 'string', format: 'date-time' });
  return (text) => validate(text) as boolean;
}

// Every field at and past the edges of its range, in the usual form and beside it.
function candidates(): string[] {
  const texts = new Set<string>();
  const years = ['2026', '2024', '2000', '1900', '2100', '0000', '20x6'];
  const months = ['01', '02', '04', '12', '00', '13', '1a'];
  const days = ['01', '28', '29', '30', '31', '32', '00', '3x'];
  const times = ['00:00:00', '23:59:59', '24:00:00', '23:60:00', '23:59:60', '12:00:5', '1x:00:00'];
  const tails = ['Z', 'z', '.000Z', '.1Z', '.123456789Z', '.Z', '.12aZ', '', '+01:00', '-23:59', '+24:00', '.5+00:00', 'ZZ', 'Z '];
  for (const year of years) for (const month of months) for (const day of days) for (const time of times.slice(0, 3)) texts.add(`${year}-${month}-${day}T${time}Z`);
  for (const time of times) for (const tail of tails) for (const separator of ['T', 't', ' ', '_']) texts.add(`2024-02-29${separator}${time}${tail}`);
  for (const text of [...texts]) texts.add(text.slice(1));
  return [...texts];
}

describe('speedUpDateTimeFormat', () => {
  it('accepts and rejects exactly what ajv-formats accepts and rejects (issue 14: faster, not weaker)', () => {
    const [original, faster] = [validatorOf(false), validatorOf(true)];
    const texts = candidates();
    const disagreements = texts.filter((text) => original(text) !== faster(text));
    expect(disagreements).toEqual([]);
    // Both outcomes are among the candidates, so the comparison has something to compare.
    expect(texts.filter(original).length).toBeGreaterThan(100);
    expect(texts.filter((text) => !original(text)).length).toBeGreaterThan(100);
  });
});
