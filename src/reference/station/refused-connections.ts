import type { Payload } from '../../protocol/index.js';
import { HandshakeError, isLocalTlsRejection } from '../../transport/index.js';
import { securityEvent } from './v201/messages.js';

/** techInfo is a string of at most 255 characters (SecurityEventNotificationRequest). */
const TECH_INFO_MAX = 255;

/**
 * The security events of connection attempts the station ended itself, kept until it may send
 * them (after an accepted boot or on reconnecting): a server certificate it refused raises
 * InvalidCsmsCertificate (A00.FR.310/413), a CSMS offering only TLS older than 1.2 raises
 * InvalidTLSVersion (A00.FR.316/419). Both are critical events, queued while offline.
 */
export class RefusedConnections {
  #pending: Payload[] = [];

  /** Notes a failed attempt; one that was no refusal of the station's (unreachable CSMS, HTTP answer) raises nothing. */
  note(error: unknown, now: Date): void {
    const type = eventTypeOf(error);
    if (type) this.#pending.push(securityEvent(type, now, (error as Error).message.slice(0, TECH_INFO_MAX)));
  }

  /** The events noted so far, each handed out once. */
  take(): Payload[] {
    return this.#pending.splice(0);
  }
}

function eventTypeOf(error: unknown): 'InvalidCsmsCertificate' | 'InvalidTLSVersion' | undefined {
  if (!(error instanceof HandshakeError) || error.stage !== 'tls') return undefined;
  if (isLocalTlsRejection(error) && error.tlsError !== 'ERR_PLAIN_WS_REFUSED') return 'InvalidCsmsCertificate';
  return /PROTOCOL|VERSION/.test(error.tlsError ?? '') ? 'InvalidTLSVersion' : undefined;
}
