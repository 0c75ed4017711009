import type { OcppVersion } from '../../protocol/index.js';
import type { TraceSink } from '../../session/index.js';
import type { ConnectionSecurity } from '../../transport/index.js';
import type { Fault } from '../faults.js';
import type { InstalledCertificate } from './certificate-store.js';
import type { StationTrait } from './traits.js';

/** One connector of an EVSE; under OCPP 1.6 `id` is the connectorId the station reports. */
export interface StationConnectorOptions {
  id: number;
  /** OCPP 2.0.1 ConnectorEnumType value, e.g. cType2 (default). */
  type?: string;
}

/** How long a reboot takes by default. */
export const DEFAULT_REBOOT_DELAY_MS = 2_000;

/** Options of the reference charging station. */
export interface ReferenceStationOptions {
  /** '2.1' behaves as 2.0.1 wherever the two are compatible. */
  version: OcppVersion;
  /** The CSMS URL without the station identity, e.g. ws://127.0.0.1:9000/ocpp. */
  endpoint: string;
  stationId: string;
  /**
   * How it connects (default: plain ws, no password): the Basic-auth password until the CSMS sets
   * another, the client certificate (profile 3); over TLS it trusts its installed CSMS roots.
   */
  security?: ConnectionSecurity;
  evses: Array<{ id: number; connectors: StationConnectorOptions[] }>;
  identity?: { vendor?: string; model?: string; serialNumber?: string; firmwareVersion?: string };
  timing?: {
    /** Delay before reconnecting after a lost connection (default 50 ms). */
    reconnectDelayMs?: number;
    /**
     * How long a reboot (the `reboot` device action, a Reset) keeps the station away, from closing
     * its connection to its next connection attempt (default DEFAULT_REBOOT_DELAY_MS: a real
     * station is not back at once).
     */
    rebootDelayMs?: number;
    /** Boot retry delay when the CSMS gives none (interval 0) or does not answer (default 30 s). */
    bootRetryS?: number;
  };
  /**
   * Initial configuration: under 2.0.1 "Component.Variable" or "Component.Variable.Instance"
   * (e.g. "TxCtrlr.TxStartPoint": "EVConnected"); under 1.6 a configuration key.
   */
  settings?: Record<string, string>;
  /** Certificates installed before the first boot (a factory-installed manufacturer root, the CSMS root it connects with). */
  certificates?: readonly InstalledCertificate[];
  /** Message faults go to the session interceptor; `behaviour:` faults the station acts out. */
  faults?: readonly Fault[];
  /** How the station is built besides its default (a fixed cable, back-up power; see traits.ts). */
  traits?: readonly StationTrait[];
  /** Where the station's own records go (default: discarded). */
  trace?: TraceSink;
  clock?: () => Date;
}

/** The options with every default filled in. */
export interface ResolvedStationOptions extends ReferenceStationOptions {
  identity: { vendor: string; model: string; serialNumber?: string; firmwareVersion?: string };
  reconnectDelayMs: number;
  rebootDelayMs: number;
  bootRetryS: number;
  settings: Record<string, string>;
  faults: readonly Fault[];
  traits: readonly StationTrait[];
  trace: TraceSink;
  clock: () => Date;
}

/** Fills in the defaults of the options. */
export function resolveStationOptions(options: ReferenceStationOptions): ResolvedStationOptions {
  if (options.evses.length === 0) throw new Error('the reference station needs at least one EVSE');
  return {
    ...options,
    identity: { vendor: 'ocpp-harness', model: 'ReferenceStation', firmwareVersion: '1.0.0', ...options.identity },
    reconnectDelayMs: options.timing?.reconnectDelayMs ?? 50,
    rebootDelayMs: options.timing?.rebootDelayMs ?? DEFAULT_REBOOT_DELAY_MS,
    bootRetryS: options.timing?.bootRetryS ?? 30,
    settings: options.settings ?? {},
    faults: options.faults ?? [],
    traits: options.traits ?? [],
    trace: options.trace ?? { write: () => undefined },
    clock: options.clock ?? (() => new Date()),
  };
}
