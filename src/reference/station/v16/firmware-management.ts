import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { V16Parts } from './parts.js';

/** The Central System operations of the Firmware Management profile (1.6 §3.3): firmware update and diagnostics. */
export const FIRMWARE_MANAGEMENT_HANDLERS_16: Record<string, (parts: V16Parts, payload: Payload) => CallReply> = {
  UpdateFirmware: (parts, payload) => parts.firmware.update(payload),
  GetDiagnostics: (parts, payload) => parts.diagnostics.getDiagnostics(payload),
};
