/**
 * What a case needs of a value the station declares (a 1.6 configuration key, a 2.0.1 variable),
 * written after the name: `>=N` an integer at least N, `~V` a comma-separated list naming V.
 * E.g. `MaxChargingProfilesInstalled>=3`, `SmartChargingCtrlr.RateUnit~W`.
 */
export type ValueNeed = { atLeast: number } | { lists: string };

/** `Name`, `Name>=N` or `Name~V` → the name and what its value must be; undefined for an empty name. */
export function parseValueNeed(text: string): { name: string; value?: ValueNeed } | undefined {
  const [, name, atLeast, lists] = /^([^>~]+)(?:>=(\d+)|~(.+))?$/.exec(text) ?? [];
  if (!name) return undefined;
  if (atLeast !== undefined) return { name, value: { atLeast: Number(atLeast) } };
  if (lists !== undefined) return { name, value: { lists } };
  return { name };
}

/** Why the station's value of `name` does not meet the need; undefined when it does. Lists compare without case or spaces. */
export function valueLacks(name: string, value: string | undefined, need: ValueNeed): string | undefined {
  const shown = value === undefined ? 'without a value' : `is ${JSON.stringify(value)}`;
  if ('atLeast' in need) {
    const number = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
    return Number.isInteger(number) && number >= need.atLeast ? undefined : `the station's ${name} ${shown}, the case needs at least ${need.atLeast}`;
  }
  const names = (value ?? '').split(',').map((member) => member.trim().toLowerCase());
  return names.includes(need.lists.toLowerCase()) ? undefined : `the station's ${name} ${shown}, the case needs ${need.lists} in it`;
}
