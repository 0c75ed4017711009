import { connectorsOf } from '../../../domain/index.js';
import type { CertificateManagement } from '../certificate-management.js';
import type { CertificateRenewal } from '../certificate-renewal.js';
import type { ChargingProfiles } from '../charging-profiles.js';
import type { StationContext } from '../context.js';
import type { LogUploads } from '../log-uploads.js';
import type { FirmwareUpdater } from '../signed-firmware.js';
import type { ConnectorState, EvseState } from '../station-state.js';
import type { Authorizer16 } from './authorizer.js';
import type { Configuration } from './configuration.js';
import type { LocalAuthList } from './local-list.js';
import type { Diagnostics16 } from './diagnostics.js';
import type { FirmwareUpdater16 } from './firmware.js';
import type { Reservations16 } from './reservations.js';
import type { StatusReporter16 } from './status.js';
import type { TransactionEngine16 } from './transactions.js';

/** The pieces of the OCPP 1.6 driver, shared by its handlers and device actions. */
export interface V16Parts {
  context: StationContext;
  configuration: Configuration;
  authorizer: Authorizer16;
  engine: TransactionEngine16;
  status: StatusReporter16;
  localList: LocalAuthList;
  firmware: FirmwareUpdater16;
  diagnostics: Diagnostics16;
  reservations: Reservations16;
  /** The charging profiles the Central System set (§3.13). */
  profiles: ChargingProfiles;
  /** 1.6 security whitepaper: InstallCertificate, GetInstalledCertificateIds, DeleteCertificate (M03-M05). */
  certificates: CertificateManagement;
  /** 1.6 security whitepaper: the renewal of the Charge Point certificate (A02). */
  renewal: CertificateRenewal;
  /** 1.6 security whitepaper: GetLog (N01). */
  logs: LogUploads;
  /** 1.6 security whitepaper: SignedUpdateFirmware (L01). */
  signedFirmware: FirmwareUpdater;
}

/** A connector by its 1.6 connectorId, or (none given) one waiting for a token, else the first free one. */
export function pickConnector(parts: V16Parts, connectorId: unknown): { evse: EvseState; connector: ConnectorState } | undefined {
  const { state } = parts.context;
  if (connectorId !== undefined && connectorId !== null && Number(connectorId) > 0) return state.connector16(Number(connectorId));
  const free = connectorsOf(state.evses)
    .filter(({ connector }) => !connector.faulted && state.isOperative(connector) && !parts.engine.session(connector).tx && !parts.engine.session(connector).authorization);
  return free.find(({ connector }) => connector.plugged) ?? free[0];
}
