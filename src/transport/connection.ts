import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { HandshakeInfo } from './handshake.js';

/** Who ended a connection: our side, the peer (close frame), or the network (no close frame). */
export type CloseInitiator = 'local' | 'remote' | 'network';

/** How a connection ended. */
export interface CloseInfo {
  code: number;
  reason: string;
  initiatedBy: CloseInitiator;
}

/**
 * Events of a connection. `message` carries the text exactly as received and `arrivedAtMs`, the
 * `performance.now()` at which the socket handed it over, before any listener ran.
 */
export interface ConnectionEvents {
  message: [text: string, isBinary: boolean, arrivedAtMs: number];
  close: [info: CloseInfo];
  pong: [];
  newListener: [event: string | symbol, listener: unknown];
}

let nextConnectionNumber = 1;

/**
 * One open WebSocket, either role, reduced to what the session layer needs: raw text in and
 * out, ping/pong, and how it closed. It knows nothing about OCPP.
 */
export class Connection extends EventEmitter<ConnectionEvents> {
  /** Process-unique id, e.g. "c12", used to tell connections apart in traces. */
  readonly id = `c${nextConnectionNumber++}`;
  private closeRequestedLocally = false;
  private closeInfo: CloseInfo | undefined;
  /** Messages that arrived before anyone listened; handed over to the first listener. */
  private early: Array<[string, boolean, number]> | undefined = [];

  /**
   * `peerCertificatePem`: over TLS, the certificate the peer presented (as station: the CSMS's
   * server certificate), for a station to tell which of its roots it chains to.
   */
  constructor(private readonly socket: WebSocket, readonly handshake: HandshakeInfo, readonly peerCertificatePem?: string) {
    super();
    socket.on('message', (data, isBinary) => this.onSocketMessage(decodeText(data), isBinary, performance.now()));
    this.on('newListener', (event) => {
      if (event === 'message' && this.early) queueMicrotask(() => this.flushEarly());
    });
    socket.on('pong', () => this.emit('pong'));
    socket.on('error', () => {
      // ws follows every error with 'close'; the close info is what we report.
    });
    socket.on('close', (code, reason) => {
      const initiatedBy: CloseInitiator = this.closeRequestedLocally ? 'local' : code === 1006 ? 'network' : 'remote';
      this.closeInfo = { code, reason: reason.toString('utf8'), initiatedBy };
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

  /** Sends one text frame; returns false when the connection is no longer open. */
  send(text: string): boolean {
    if (!this.isOpen) return false;
    this.socket.send(text);
    return true;
  }

  /** Starts the closing handshake. */
  close(code = 1000, reason = ''): void {
    this.closeRequestedLocally = true;
    this.socket.close(code, reason);
  }

  /** Drops the TCP connection without a closing handshake. */
  terminate(): void {
    this.closeRequestedLocally = true;
    this.socket.terminate();
  }

  /** Sends a WebSocket ping. */
  ping(): void {
    if (this.isOpen) this.socket.ping();
  }

  private onSocketMessage(text: string, isBinary: boolean, arrivedAtMs: number): void {
    if (!this.early) {
      this.emit('message', text, isBinary, arrivedAtMs);
      return;
    }
    this.early.push([text, isBinary, arrivedAtMs]);
    if (this.listenerCount('message') > 0) this.flushEarly();
  }

  private flushEarly(): void {
    if (!this.early) return;
    const early = this.early;
    this.early = undefined;
    for (const [text, isBinary, arrivedAtMs] of early) this.emit('message', text, isBinary, arrivedAtMs);
  }

  /** Resolves once the connection has closed (at once if it already has). */
  whenClosed(): Promise<CloseInfo> {
    if (this.closeInfo) return Promise.resolve(this.closeInfo);
    return new Promise((resolve) => this.once('close', resolve));
  }
}

function decodeText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
