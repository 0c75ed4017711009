import { FEATURE_PROFILES_16 } from '../../../domain/index.js';
import { behaviours } from '../../faults.js';
import { CERTIFICATE_ENTRIES_MAX } from '../certificate-management.js';
import type { ResolvedStationOptions } from '../options.js';
import { supportedProfiles16 } from './profiles.js';

/** One OCPP 1.6 configuration key (chapter 9). */
interface ConfigurationKey {
  value: string;
  readonly: boolean;
  kind: 'integer' | 'boolean' | 'csl' | 'string';
  /** For CSL keys: the allowed members. */
  members?: readonly string[];
  minimum?: number;
  /** For string keys: the length limits of a value. */
  length?: { min: number; max: number };
  rebootRequired?: boolean;
  /** Never read back (1.6 security whitepaper §7.2 AuthorizationKey): GetConfiguration lists it without its value. */
  writeOnly?: boolean;
}

/** ConfigurationStatus of ChangeConfiguration.conf. */
export type ChangeStatus = 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported';

const MEASURANDS = ['Current.Import', 'Current.Offered', 'Energy.Active.Import.Register', 'Frequency', 'Power.Active.Import', 'Power.Offered', 'SoC', 'Voltage'];
const ENERGY = 'Energy.Active.Import.Register';

const int = (value: string, minimum = 0, extra: Partial<ConfigurationKey> = {}): ConfigurationKey => ({ value, readonly: false, kind: 'integer', minimum, ...extra });
const bool = (value: string): ConfigurationKey => ({ value, readonly: false, kind: 'boolean' });
const measurands = (value: string): ConfigurationKey => ({ value, readonly: false, kind: 'csl', members: MEASURANDS });
const fixed = (value: string, kind: ConfigurationKey['kind'] = 'integer'): ConfigurationKey => ({ value, readonly: true, kind });

/** The Core profile keys of OCPP 1.6 §9.1 (and the RemoteTrigger, Local Auth List Management and FirmwareManagement profiles), with their accessibility. */
function coreKeys(options: ResolvedStationOptions): Record<string, ConfigurationKey> {
  const connectorIds = options.evses.flatMap((evse) => evse.connectors.map((connector) => connector.id));
  return {
    AuthorizationCacheEnabled: bool('true'),
    AuthorizeRemoteTxRequests: bool('true'),
    ClockAlignedDataInterval: int('0'),
    ConnectionTimeOut: int('60', 1),
    ConnectorPhaseRotation: { value: connectorIds.map((id) => `${id}.RST`).join(','), readonly: false, kind: 'string' },
    GetConfigurationMaxKeys: fixed('50'),
    HeartbeatInterval: int('300', 1),
    LocalAuthorizeOffline: bool('true'),
    LocalPreAuthorize: bool('false'),
    MeterValuesAlignedData: measurands(ENERGY),
    MeterValuesSampledData: measurands(ENERGY),
    MeterValueSampleInterval: int('60'),
    NumberOfConnectors: fixed(String(connectorIds.length)),
    ResetRetries: int('2'),
    StopTransactionOnEVSideDisconnect: bool('true'),
    StopTransactionOnInvalidId: bool('true'),
    StopTxnAlignedData: measurands(''),
    StopTxnSampledData: measurands(ENERGY),
    SupportedFeatureProfiles: { ...fixed(supportedProfiles16(behaviours(options.faults).has('declares-core-only')), 'csl'), members: FEATURE_PROFILES_16 },
    TransactionMessageAttempts: int('3', 1),
    TransactionMessageRetryInterval: int('60'),
    UnlockConnectorOnEVSideDisconnect: bool('true'),
    // §9.1.34: applies to the next WebSocket connection.
    WebSocketPingInterval: int('0', 0, { rebootRequired: true }),
    // §9.2: the Local Auth List Management profile.
    LocalAuthListEnabled: bool('true'),
    LocalAuthListMaxLength: fixed('100'),
    SendLocalListMaxLength: fixed('20'),
    // Errata v4.0 §9.5.1 (Firmware Management): the reference transfers files over HTTP(S) only.
    SupportedFileTransferProtocols: fixed('HTTP,HTTPS', 'csl'),
    // §9.3.1 (Reservation profile): reservations of connector 0 are taken.
    ReserveConnectorZeroSupported: fixed('true', 'boolean'),
    // §9.4 (Smart Charging profile): what the Charge Point can hold.
    ChargeProfileMaxStackLevel: fixed('8'),
    ChargingScheduleAllowedChargingRateUnit: fixed('Current,Power', 'csl'),
    ChargingScheduleMaxPeriods: fixed('24'),
    MaxChargingProfilesInstalled: fixed('16'),
    ...securityKeys16(options),
  };
}

/** 1.6 security whitepaper §7.3: the largest certificateChain a CertificateSigned.req may carry. */
const CERTIFICATE_CHAIN_MAX = 10_000;

/**
 * The configuration keys of the 1.6 security whitepaper (edition 3, chapter 7), with the
 * accessibility it gives them. SecurityProfile starts at the profile the station connects with;
 * AuthorizationKey holds its Basic-auth password (A00.FR.205/304), write-only (§7.2) and 16 to 40
 * characters long (the whitepaper's minimum of 16 bytes; the harness's passwords are alphanumeric,
 * not the hexadecimal the whitepaper advises, so the format is not checked).
 */
function securityKeys16(options: ResolvedStationOptions): Record<string, ConfigurationKey> {
  return {
    // §7.1: the reference lets any CA certificate replace a Central System root.
    AdditionalRootCertificateCheck: { value: 'false', readonly: true, kind: 'boolean' },
    AuthorizationKey: { value: options.security?.basicAuth?.password ?? '', readonly: false, kind: 'string', length: { min: 16, max: 40 }, writeOnly: true },
    CertificateSignedMaxChainSize: { value: String(CERTIFICATE_CHAIN_MAX), readonly: true, kind: 'integer' },
    CertificateStoreMaxLength: { value: String(CERTIFICATE_ENTRIES_MAX), readonly: true, kind: 'integer' },
    // The O of the station certificates the test PKI issues.
    CpoName: { value: 'ocpp-harness', readonly: false, kind: 'string' },
    SecurityProfile: { value: String(options.security?.profile ?? 0), readonly: false, kind: 'integer', minimum: 0 },
  };
}

/** The station's OCPP 1.6 configuration: GetConfiguration and ChangeConfiguration (§5.3, §5.8). */
export class Configuration {
  private readonly keys: Record<string, ConfigurationKey>;
  /** Called after a key changed (HeartbeatInterval restarts the heartbeat). */
  onChange: (key: string) => void = () => undefined;
  /** Asked before a valid value is taken: a status refuses it (SecurityProfile's rules, 1.6 security whitepaper A05). */
  guard: (key: string, value: string) => ChangeStatus | undefined = () => undefined;

  constructor(options: ResolvedStationOptions) {
    this.keys = coreKeys(options);
    for (const [key, value] of Object.entries(options.settings)) {
      const entry = this.keys[key];
      if (!entry || problemOf(entry, value)) throw new Error(`setting ${key}=${value}: ${entry ? problemOf(entry, value) : 'unknown key'}`);
      entry.value = value;
    }
  }

  /** GetConfiguration.conf: all keys, or the requested ones and the unknown rest. */
  get(requested: readonly string[] | undefined): { configurationKey: Array<{ key: string; readonly: boolean; value?: string }>; unknownKey?: string[] } {
    const names = requested && requested.length > 0 ? requested : Object.keys(this.keys);
    const known = names.filter((name) => Object.hasOwn(this.keys, name));
    const unknownKey = names.filter((name) => !Object.hasOwn(this.keys, name));
    const configurationKey = known.map((key) => {
      const entry = this.keys[key]!;
      // KeyValue.value is optional (1.6 §7.9): a write-only key is listed without it.
      return entry.writeOnly ? { key, readonly: entry.readonly } : { key, readonly: entry.readonly, value: entry.value };
    });
    return unknownKey.length > 0 ? { configurationKey, unknownKey } : { configurationKey };
  }

  /**
   * ChangeConfiguration (§5.3): NotSupported for unknown keys, Rejected for read-only or bad values;
   * `lax` names the checks a behaviour fault skips (behaviour:ignore-readonly, behaviour:accept-malformed-configuration).
   */
  change(key: string, value: string, lax: { ignoreReadonly?: boolean; ignoreFormat?: boolean; ignoreLength?: boolean } = {}): ChangeStatus {
    const entry = Object.hasOwn(this.keys, key) ? this.keys[key] : undefined;
    if (!entry) return 'NotSupported';
    if ((entry.readonly && !lax.ignoreReadonly) || (problemOf(entry, value, lax.ignoreLength) && !lax.ignoreFormat)) return 'Rejected';
    const refused = this.guard(key, value);
    if (refused) return refused;
    entry.value = value;
    this.onChange(key);
    return entry.rebootRequired ? 'RebootRequired' : 'Accepted';
  }

  /** Sets a key by other means than OCPP (a device action): no checks, no onChange. */
  restore(key: string, value: string): void {
    const entry = Object.hasOwn(this.keys, key) ? this.keys[key] : undefined;
    if (entry) entry.value = value;
  }

  /** An integer key's value. */
  integer(key: string): number {
    return Number.parseInt(this.keys[key]?.value ?? '0', 10);
  }

  /** A key's value as it is, write-only ones too (the station's own use of them). */
  value(key: string): string {
    return this.keys[key]?.value ?? '';
  }

  /** A boolean key's value. */
  flag(key: string): boolean {
    return this.keys[key]?.value.toLowerCase() === 'true';
  }

  /** A CSL key's members. */
  list(key: string): string[] {
    return (this.keys[key]?.value ?? '').split(',').map((item) => item.trim()).filter((item) => item.length > 0);
  }
}

function problemOf(entry: ConfigurationKey, value: string, ignoreLength = false): string | undefined {
  switch (entry.kind) {
    case 'string':
      if (!entry.length || ignoreLength) return undefined;
      return value.length < entry.length.min || value.length > entry.length.max ? `not ${entry.length.min} to ${entry.length.max} characters long` : undefined;
    case 'integer':
      if (!/^[+-]?\d+$/.test(value.trim())) return 'not an integer';
      return entry.minimum !== undefined && Number(value) < entry.minimum ? `below ${entry.minimum}` : undefined;
    case 'boolean': return /^(true|false)$/i.test(value) ? undefined : 'not a boolean';
    case 'csl': {
      const unknown = value.split(',').map((item) => item.trim()).filter((item) => item && entry.members && !entry.members.includes(item));
      return unknown.length > 0 ? `unknown members ${unknown.join(', ')}` : undefined;
    }
    default: return undefined;
  }
}
