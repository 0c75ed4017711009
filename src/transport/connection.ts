import { EventEmitter } from 'node:events';
import { isUtf8 } from 'node:buffer';
import type { WebSocket } from 'ws';
import type { HandshakeInfo } from './handshake.js';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits, type PeerFault } from './limits.js';

/** Who ended a connection: our side, the peer (close frame), or the network (no close frame). */
export type CloseInitiator = 'local' | 'remote' | 'network';

/** How a connection ended. */
export interface CloseInfo {
  /** The close code: the one we sent when we closed, else the peer's (1006: no close frame came). */
  code: number;
  reason: string;
  initiatedBy: CloseInitiator;
  /** When we closed because of something the peer did: what (a PeerFault kind, e.g. `frame-invalid-utf8`). */
  cause?: PeerFault['kind'];
}

/**
 * Events of a connection. `message` carries the text exactly as received and `arrivedAtMs`, the
 * `performance.now()` at which the socket handed it over, before any listener ran. `fault` reports
 * what the peer did that made the connection close (or, for `close-timeout`, dropped), before `close`.
 */
export interface ConnectionEvents {
  message: [text: string, isBinary: boolean, arrivedAtMs: number];
  fault: [fault: PeerFault];
  close: [info: CloseInfo];
  pong: [];
  newListener: [event: string | symbol, listener: unknown];
}

/** How we ended the connection: the close frame we sent (none when the socket was dropped) and why. */
interface LocalClose {
  code?: number;
  reason?: string;
  cause?: PeerFault['kind'];
}

let nextConnectionNumber = 1;

/**
 * One open WebSocket, either role, reduced to what the session layer needs: raw text in and
 * out, ping/pong, and how it closed. It knows nothing about OCPP. It keeps the connection within
 * its limits whatever the peer does (issue 14): text that is not UTF-8 closes it with 1007
 * (RFC 6455 §8.1), a message over `maxFrameBytes` with 1009 (ws refuses it at its header), a peer
 * that leaves more than `maxBufferedBytes` unread is dropped, and a closing handshake that takes
 * longer than `closeMs` is cut short.
 */
export class Connection extends EventEmitter<ConnectionEvents> {
  /** Process-unique id, e.g. "c12", used to tell connections apart in traces. */
  readonly id = `c${nextConnectionNumber++}`;
  private localClose: LocalClose | undefined;
  private closeInfo: CloseInfo | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  /** What arrived before anyone listened (messages and faults, in order); handed over to the first listener. */
  private early: Array<() => void> | undefined = [];

  /**
   * `peerCertificatePem`: over TLS, the certificate the peer presented (as station: the CSMS's
   * server certificate), for a station to tell which of its roots it chains to. `limits` must be
   * the ones the socket was opened with (see wsLimitOptions).
   */
  constructor(
    private readonly socket: WebSocket,
    readonly handshake: HandshakeInfo,
    readonly peerCertificatePem?: string,
    private readonly limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS,
  ) {
    super();
    socket.on('message', (data, isBinary) => this.onSocketMessage(toBuffer(data), isBinary, performance.now()));
    this.on('newListener', (event) => {
      if (event === 'message' && this.early) queueMicrotask(() => this.flushEarly());
    });
    socket.on('pong', () => this.emit('pong'));
    socket.on('ping', (data) => this.answerPing(data));
    socket.on('error', (error) => {
      // ws follows every error with 'close'; the close info is what we report. An oversized message
      // is the one error that is the peer's fault: ws has already answered it with a 1009 close.
      if ((error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.onOversized(performance.now());
    });
    socket.on('close', (code, reason) => {
      clearTimeout(this.closeTimer);
      this.closeInfo = this.describeClose(code, reason.toString('utf8'));
      this.emit('close', this.closeInfo);
    });
  }

  /** True while frames can be sent. */
  get isOpen(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** How the connection ended, once it has. */
  get closed(): CloseInfo | undefined {
    return this.closeInfo;
  }

  /**
   * Sends one text frame; returns false when the connection is no longer open. A peer that has
   * left more than `maxBufferedBytes` of what we sent unread is dropped: it would grow our memory
   * without bound.
   */
  send(text: string): boolean {
    if (!this.isOpen) return false;
    this.socket.send(text);
    return this.withinUnreadLimit();
  }

  /** RFC 6455 §5.5.2: every ping gets a pong with its data, under the same cap on unread bytes. */
  private answerPing(data: Buffer): void {
    if (!this.isOpen) return;
    this.socket.pong(data);
    this.withinUnreadLimit();
  }

  private withinUnreadLimit(): boolean {
    const bufferedBytes = this.socket.bufferedAmount;
    if (bufferedBytes <= this.limits.maxBufferedBytes) return true;
    this.emit('fault', { kind: 'peer-not-reading', bufferedBytes, limitBytes: this.limits.maxBufferedBytes });
    this.drop('peer-not-reading');
    return false;
  }

  /** Starts the closing handshake; a peer that does not complete it within `closeMs` is dropped. */
  close(code = 1000, reason = ''): void {
    this.closeFor({ code, reason });
  }

  /** Drops the TCP connection without a closing handshake. */
  terminate(): void {
    this.drop();
  }

  /** Sends a WebSocket ping. */
  ping(): void {
    if (this.isOpen) this.socket.ping();
  }

  /** Resolves once the connection has closed (at once if it already has). */
  whenClosed(): Promise<CloseInfo> {
    if (this.closeInfo) return Promise.resolve(this.closeInfo);
    return new Promise((resolve) => this.once('close', resolve));
  }

  private onSocketMessage(data: Buffer, isBinary: boolean, arrivedAtMs: number): void {
    // ws is told to skip its UTF-8 check (wsLimitOptions) so that the bytes reach the trace.
    if (!isBinary && !isUtf8(data)) {
      this.deliver(() => this.emit('fault', { kind: 'frame-invalid-utf8', bytes: data, arrivedAtMs }));
      // RFC 6455 §8.1: an endpoint that receives text that is not UTF-8 fails the connection with 1007.
      this.closeFor({ code: 1007, reason: 'invalid UTF-8 in a text frame', cause: 'frame-invalid-utf8' });
      return;
    }
    const text = data.toString('utf8');
    this.deliver(() => this.emit('message', text, isBinary, arrivedAtMs));
  }

  private onOversized(arrivedAtMs: number): void {
    // ws closed with 1009 (RFC 6455 §7.4.1) before reading the payload: none of it was kept.
    this.localClose = { code: 1009, reason: '', cause: 'frame-too-large' };
    this.startCloseTimer();
    const announcedBytes = announcedLength(this.socket);
    this.deliver(() => this.emit('fault', { kind: 'frame-too-large', limitBytes: this.limits.maxFrameBytes, ...(announcedBytes ? { announcedBytes } : {}), arrivedAtMs }));
  }

  private closeFor(close: Required<Pick<LocalClose, 'code' | 'reason'>> & LocalClose): void {
    if (this.localClose || this.closeInfo) return;
    this.localClose = close;
    this.socket.close(close.code, close.reason);
    this.startCloseTimer();
  }

  private drop(cause?: PeerFault['kind']): void {
    if (this.closeInfo) return;
    this.localClose = { ...this.localClose, ...(cause ? { cause } : {}) };
    this.socket.terminate();
  }

  // RFC 6455 §7.1.1, §5.5.1: the peer answers our close frame and the TCP connection ends; a peer
  // that does not (it may not even read) would keep ws waiting 30 s.
  private startCloseTimer(): void {
    if (this.closeTimer) return;
    const startedAt = performance.now();
    this.closeTimer = setTimeout(() => {
      if (this.closeInfo) return;
      this.emit('fault', { kind: 'close-timeout', waitedMs: Math.round(performance.now() - startedAt) });
      this.socket.terminate();
    }, this.limits.closeMs);
  }

  private describeClose(code: number, reason: string): CloseInfo {
    const local = this.localClose;
    if (!local) return { code, reason, initiatedBy: code === 1006 ? 'network' : 'remote' };
    const info: CloseInfo = { code: local.code ?? code, reason: local.reason ?? reason, initiatedBy: 'local' };
    if (local.cause) info.cause = local.cause;
    return info;
  }

  private deliver(emit: () => void): void {
    if (!this.early) return emit();
    this.early.push(emit);
    if (this.listenerCount('message') > 0) this.flushEarly();
  }

  private flushEarly(): void {
    if (!this.early) return;
    const early = this.early;
    this.early = undefined;
    for (const emit of early) emit();
  }
}

/**
 * The message length the refused frame's header announced. ws's error says only "Max payload size
 * exceeded"; its receiver (ws 8.x, `_totalPayloadLength`) still holds the length it refused.
 * Undefined when that is not there (another ws version): the trace then says only "over the limit".
 */
function announcedLength(socket: WebSocket): number | undefined {
  const receiver = (socket as unknown as { _receiver?: { _totalPayloadLength?: unknown } })._receiver;
  const length = receiver?._totalPayloadLength;
  return typeof length === 'number' && length > 0 ? length : undefined;
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
