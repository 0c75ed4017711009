import { findConnector16 } from '../../domain/index.js';
import { CertificateStore, type InstalledCertificate } from './certificate-store.js';
import type { StationConnectorOptions } from './options.js';

/** The simulated energy meter of one EVSE: a register that grows while energy flows. */
export class EnergyMeter {
  private registerWh = 0;
  private flowingSinceMs: number | undefined;

  constructor(private readonly powerW = 11_000) {}

  /** The register value in whole Wh at `now`. */
  readWh(now: Date): number {
    const flowingMs = this.flowingSinceMs === undefined ? 0 : Math.max(0, now.getTime() - this.flowingSinceMs);
    return Math.floor(this.registerWh + (flowingMs * this.powerW) / 3_600_000);
  }

  /** Starts or stops the energy flow at `now`. */
  setFlowing(flowing: boolean, now: Date): void {
    if (flowing === (this.flowingSinceMs !== undefined)) return;
    this.registerWh = this.readWh(now);
    this.flowingSinceMs = flowing ? now.getTime() : undefined;
  }
}

/** What is physically and administratively true of one connector. */
export interface ConnectorState {
  readonly evseId: number;
  readonly id: number;
  readonly type: string;
  plugged: boolean;
  faulted: boolean;
  /** The cable lock fails (the failConnectorLock device action): it neither locks nor unlocks; cleared with the fault. */
  lockFailed?: boolean;
  /** Set by ChangeAvailability; persists across reboots (G03.FR.08, OCPP 1.6 §5.2). */
  operative: boolean;
  /** A ChangeAvailability that waits for the running transaction to end (Scheduled). */
  scheduledOperative?: boolean;
  /** The status last reported to the CSMS, to report only changes after an offline period (B04.FR.02). */
  reportedStatus?: string;
}

/**
 * The most the charging profiles in force let an EVSE draw at an instant (1.6 §3.13, K08): current
 * per phase and total power. Absent where no profile limits the EVSE (its own maximum applies).
 */
export interface ProfileLimit {
  readonly currentA: number;
  readonly powerW: number;
}

/** What is true of one EVSE. */
export interface EvseState {
  readonly id: number;
  readonly connectors: ConnectorState[];
  operative: boolean;
  scheduledOperative?: boolean;
  bayOccupied: boolean;
  evSuspended: boolean;
  readonly meter: EnergyMeter;
  /** The limit of the charging profiles in force at an instant; the version's driver wires it to its profiles. */
  profileLimit: (at: Date) => ProfileLimit | undefined;
}

/** The hardware of the station: EVSEs, connectors, availability and meters, shared by both versions. */
export class StationState {
  readonly evses: EvseState[];
  operative = true;
  scheduledOperative: boolean | undefined;
  /** Station-level (1.6 connectorId 0) status last reported. */
  reportedStatus: string | undefined;
  /** Installed certificates; like the rest of this state they survive reboots. */
  readonly certificates: CertificateStore;
  /** The running firmware's version, as the BootNotification reports it; a firmware update changes it (L01). */
  firmwareVersion: string | undefined;

  constructor(evses: ReadonlyArray<{ id: number; connectors: readonly StationConnectorOptions[] }>, certificates: readonly InstalledCertificate[] = [], firmwareVersion?: string) {
    this.certificates = new CertificateStore(certificates);
    this.firmwareVersion = firmwareVersion;
    this.evses = evses.map((evse) => ({
      id: evse.id,
      connectors: evse.connectors.map((connector) => ({ evseId: evse.id, id: connector.id, type: connector.type ?? 'cType2', plugged: false, faulted: false, operative: true })),
      operative: true,
      bayOccupied: false,
      evSuspended: false,
      meter: new EnergyMeter(),
      profileLimit: () => undefined,
    }));
  }

  /** The EVSE with this id, if any. */
  evse(id: number): EvseState | undefined {
    return this.evses.find((evse) => evse.id === id);
  }

  /** The connector with these ids, if any. */
  connector(evseId: number, connectorId: number): ConnectorState | undefined {
    return this.evse(evseId)?.connectors.find((connector) => connector.id === connectorId);
  }

  /** Every connector, EVSE by EVSE. */
  connectors(): ConnectorState[] {
    return this.evses.flatMap((evse) => evse.connectors);
  }

  /** OCPP 1.6: the connector with this connectorId and its EVSE (1.6 numbers connectors station-wide). */
  connector16(connectorId: number): { evse: EvseState; connector: ConnectorState } | undefined {
    return findConnector16(this.evses, connectorId);
  }

  /** True when the connector may be used: neither it, its EVSE nor the station is inoperative. */
  isOperative(connector: ConnectorState): boolean {
    return this.operative && (this.evse(connector.evseId)?.operative ?? false) && connector.operative;
  }
}
