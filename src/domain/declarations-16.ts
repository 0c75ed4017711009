import type { DeclarationSource } from './declaration-source.js';
import { parseValueNeed, valueLacks, type ValueNeed } from './declared-values.js';

/** The feature profiles of OCPP 1.6 §3.3, spelled as the SupportedFeatureProfiles key (§9.1.29) lists them. */
export const FEATURE_PROFILES_16 = ['Core', 'FirmwareManagement', 'LocalAuthListManagement', 'Reservation', 'SmartCharging', 'RemoteTrigger'] as const;

/** One OCPP 1.6 feature profile. */
export type FeatureProfile16 = (typeof FEATURE_PROFILES_16)[number];

/**
 * `key:<ConfigKey>`: the station has this configuration key; `key:<ConfigKey>>=N`: its integer value is
 * at least N (e.g. `key:MaxChargingProfilesInstalled>=3`); `key:<ConfigKey>~Value`: its comma-separated
 * list names Value (e.g. `key:ChargingScheduleAllowedChargingRateUnit~Current`, §9.4).
 */
const KEY = 'key:';
/** `writable:<ConfigKey>`: the station has this configuration key and it is not read-only. */
const WRITABLE = 'writable:';

/** A feature id that names a configuration key: the key, whether the case must be able to change it, what its value must be. */
function keyNeed(feature: string): { key: string; writable: boolean; value?: ValueNeed } | undefined {
  for (const [prefix, writable] of [[KEY, false], [WRITABLE, true]] as const) {
    if (!feature.startsWith(prefix)) continue;
    const need = parseValueNeed(feature.slice(prefix.length));
    return need ? { key: need.name, writable, ...(need.value ? { value: need.value } : {}) } : undefined;
  }
  return undefined;
}

function isProfile(feature: string): feature is FeatureProfile16 {
  return (FEATURE_PROFILES_16 as readonly string[]).includes(feature);
}

/**
 * What an OCPP 1.6 Charge Point declares of itself in its configuration: the feature profiles of
 * SupportedFeatureProfiles, the keys it has and which of them are read-only. The harness asks
 * with a GetConfiguration without keys, which §5.8 answers with every key.
 */
export const DECLARATIONS_16: DeclarationSource = {
  request: () => ({ action: 'GetConfiguration', payload: {} }),
  /** The profile names and `key:` / `writable:` ids are the station's to declare; every other id is the configuration's. */
  decides: (feature: string): boolean => isProfile(feature) || keyNeed(feature) !== undefined,
  read: (answer: Record<string, unknown>) => {
    // KeyValue.key is a CiString50 (§7.29): compared without case; the profile names of its value too,
    // so a station is not found lacking a profile over its spelling.
    const keys = new Map<string, { readonly: boolean; value: string | undefined }>();
    for (const entry of Array.isArray(answer['configurationKey']) ? (answer['configurationKey'] as unknown[]) : []) {
      const { key, readonly, value } = (entry ?? {}) as Record<string, unknown>;
      if (typeof key === 'string') keys.set(key.toLowerCase(), { readonly: readonly === true, value: typeof value === 'string' ? value : undefined });
    }
    const profiles = keys.get('supportedfeatureprofiles')?.value;
    const declared = new Set((profiles ?? '').split(',').map((profile) => profile.trim().toLowerCase()));
    return {
      lacks(feature: string): string | undefined {
        // §3.3: every Charge Point implements Core.
        if (feature === 'Core') return undefined;
        if (isProfile(feature)) {
          if (profiles === undefined) return 'the station\'s GetConfiguration lists no SupportedFeatureProfiles';
          return declared.has(feature.toLowerCase()) ? undefined : `the station's SupportedFeatureProfiles is ${JSON.stringify(profiles)}`;
        }
        const need = keyNeed(feature);
        if (!need) return undefined;
        const entry = keys.get(need.key.toLowerCase());
        if (!entry) return `the station's GetConfiguration does not list ${need.key}`;
        if (need.writable && entry.readonly) return 'read-only on the station';
        return need.value ? valueLacks(need.key, entry.value, need.value) : undefined;
      },
    };
  },
};
