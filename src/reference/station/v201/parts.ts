import type { ChargingProfiles } from '../charging-profiles.js';
import type { StationContext } from '../context.js';
import type { EvseState } from '../station-state.js';
import type { Authorizer } from './authorizer.js';
import type { CertificateRenewal } from './certificate-renewal.js';
import type { CertificateManagement } from './certificates.js';
import type { DeviceModel } from './device-model.js';
import type { LogUploads } from './logs.js';
import type { FirmwareUpdater } from './firmware.js';
import type { StatusReporter } from './status.js';
import type { TransactionEngine } from './transactions.js';

/** The pieces of the OCPP 2.0.1 driver, shared by its handlers and device actions. */
export interface V201Parts {
  context: StationContext;
  model: DeviceModel;
  authorizer: Authorizer;
  engine: TransactionEngine;
  status: StatusReporter;
  /** GetLog uploads (N01). */
  logs: LogUploads;
  certificates: CertificateManagement;
  /** The renewal of the station's own certificate (A02). */
  renewal: CertificateRenewal;
  firmware: FirmwareUpdater;
  /** The charging profiles the CSMS set (K01). */
  profiles: ChargingProfiles;
  /** A Reset(OnIdle) waiting for the transactions to end (B12.FR.01). */
  resetScheduled: boolean;
}

/** The EVSE for an action without an explicit one: where a cable waits for a token, else the first usable one. */
export function pickEvse(parts: V201Parts, evseId: unknown): EvseState | undefined {
  const { state } = parts.context;
  if (evseId !== undefined && evseId !== null) return state.evse(Number(evseId));
  const usable = state.evses.filter((evse) => evse.connectors.some((connector) => !connector.faulted && state.isOperative(connector)));
  const waiting = usable.find((evse) => evse.connectors.some((connector) => connector.plugged) && !parts.engine.session(evse).authorization);
  return waiting ?? usable.find((evse) => !parts.engine.session(evse).authorization && !parts.engine.session(evse).tx);
}
