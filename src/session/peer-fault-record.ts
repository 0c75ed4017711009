import { createFinding, type Finding, type OcppVersion } from '../protocol/index.js';
import type { PeerFault } from '../transport/index.js';
import type { RecordFields, TraceEvent } from './trace-record.js';

/** How one peer fault is traced: an INVALID record of what arrived, or an EVENT, with its finding. */
export type PeerFaultRecord =
  | { messageType: 'INVALID'; fields: RecordFields; finding: Finding; atMs: number }
  | { messageType: 'EVENT'; event: TraceEvent; finding: Finding };

/**
 * Issue 14: what the peer did that made the connection close (or that the harness had to cut
 * short) is a finding on the peer, traced before the close.
 */
export function recordOfPeerFault(version: OcppVersion, fault: PeerFault): PeerFaultRecord {
  switch (fault.kind) {
    case 'frame-invalid-utf8': {
      // The bytes are kept as they came, in base64: as text they would not survive (contract of issue 14).
      const finding = createFinding(version, fault.kind, `a text frame of ${fault.bytes.length} bytes is not valid UTF-8; the harness closes with 1007`);
      return { messageType: 'INVALID', fields: { raw: fault.bytes.toString('base64'), meta: { rawEncoding: 'base64' } }, finding, atMs: fault.arrivedAtMs };
    }
    case 'frame-too-large': {
      // ws refuses the message at its header, so none of its payload was ever held.
      const size = fault.announcedBytes === undefined ? 'a message' : `a message of ${fault.announcedBytes} bytes`;
      const finding = createFinding(version, fault.kind, `${size}, over limits.maxFrameBytes (${fault.limitBytes}); the harness closes with 1009`);
      const length = fault.announcedBytes === undefined ? {} : { rawLength: fault.announcedBytes };
      return { messageType: 'INVALID', fields: { meta: { truncated: true, keptBytes: 0, ...length } }, finding, atMs: fault.arrivedAtMs };
    }
    case 'peer-not-reading': {
      const finding = createFinding(version, fault.kind, `the peer left ${fault.bufferedBytes} bytes unread, over limits.maxBufferedBytes (${fault.limitBytes}); the harness drops the connection`);
      return { messageType: 'EVENT', event: { kind: fault.kind, bufferedBytes: fault.bufferedBytes, limitBytes: fault.limitBytes }, finding };
    }
    case 'close-timeout': {
      const finding = createFinding(version, fault.kind, `the closing handshake was not completed within ${fault.waitedMs} ms; the harness drops the socket`);
      return { messageType: 'EVENT', event: { kind: fault.kind, waitedMs: fault.waitedMs }, finding };
    }
  }
}
