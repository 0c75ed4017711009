import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { closePayload, encodeFrame, FrameReader, Opcode, type WireFrame } from './ws-wire.test-support.js';

/** A data message the peer received from the harness. */
export interface ReceivedMessage {
  text: string;
  binary: boolean;
}

/** A data message the peer sent: its exact payload bytes, and whether the harness must trace it. */
export interface SentMessage {
  payload: Buffer;
  binary: boolean;
  /** False when the corpus entry says the harness may not see it (a frame over the size limit). */
  mustBeTraced: boolean;
  /** Sent by the entry's script before the next case began (not by the well-behaved part around it). */
  hostile?: boolean;
  /** Which of the peer's connections carried it (TCP keeps order within one only). */
  connection: number;
}

let connectionsOpened = 0;

interface PeerSocketEvents {
  message: [message: ReceivedMessage];
  closeFrame: [code: number | undefined];
  gone: [];
}

/**
 * One WebSocket connection of the hostile peer, after its opening handshake, over a raw socket.
 * It answers pings and close frames like a plain peer until told otherwise, and sends exactly the
 * bytes it is told to: broken, split or oversized frames included.
 */
export class PeerSocket extends EventEmitter<PeerSocketEvents> {
  readonly received: ReceivedMessage[] = [];
  /** Marks what is sent from now on as the script's (see SentMessage.hostile). */
  scripted = false;
  /** The close code of the harness's close frame, once one came (undefined: a close frame without a code). */
  closeCode: number | undefined;
  closeFrameReceived = false;
  isGone = false;
  /** Stopped reading for good (a peer that never reads, or one that went silent). */
  deaf = false;
  /** Answers the harness's close frame (the default); a hostile script may keep talking instead. */
  answersClose = true;
  private readonly reader = new FrameReader();
  private fragments: WireFrame[] = [];
  private readonly connection = ++connectionsOpened;

  constructor(readonly socket: Socket, private readonly masked: boolean, private readonly sent: SentMessage[], leftover: Buffer = Buffer.alloc(0)) {
    super();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.isGone = true;
      this.emit('gone');
    });
    // Bytes that came with the 101 (a CALL the harness sent at once) are read a turn later, once the
    // caller has attached its listeners: a microtask would run before the caller's await resumes.
    if (leftover.length > 0) setImmediate(() => this.onBytes(leftover));
  }

  /** Writes bytes; resolves once the socket took them (the pacing of a flood), or at once when it is gone. */
  write(bytes: Buffer): Promise<void> {
    if (!this.writable) return Promise.resolve();
    return new Promise((resolve) => this.socket.write(bytes, () => resolve()));
  }

  /** False once the socket can no longer carry our bytes (destroyed, ended, or closed by the harness). */
  get writable(): boolean {
    return !this.isGone && !this.socket.destroyed && !this.socket.writableEnded;
  }

  /** Sends one data message in one frame, noting it for the trace check (unless it cannot leave). */
  async sendMessage(payload: Buffer, options: { binary?: boolean; mustBeTraced?: boolean } = {}): Promise<SentMessage | undefined> {
    if (!this.writable) return undefined;
    const sent = this.note(payload, options);
    await this.write(this.frame(options.binary ? Opcode.Binary : Opcode.Text, payload));
    return sent;
  }

  /** Notes a data message sent by other means (fragments, split writes). */
  note(payload: Buffer, options: { binary?: boolean; mustBeTraced?: boolean } = {}): SentMessage {
    const sent = { payload, binary: options.binary ?? false, mustBeTraced: options.mustBeTraced ?? true, hostile: this.scripted, connection: this.connection };
    this.sent.push(sent);
    return sent;
  }

  /** One frame's bytes, masked as this side must. */
  frame(opcode: number, payload: Buffer, fin = true): Buffer {
    return encodeFrame({ opcode, payload, fin }, this.masked);
  }

  /** Sends a close frame with any code, valid or not. */
  sendClose(code: number, reason = ''): Promise<void> {
    return this.write(this.frame(Opcode.Close, closePayload(code, reason)));
  }

  /** Never reads again: the harness's bytes pile up in its own buffers once the socket's are full. */
  stopReading(): void {
    this.deaf = true;
    this.socket.pause();
    this.socket.removeAllListeners('data');
  }

  /** Resolves with the first received message (from `from` on) that matches, or rejects on timeout or loss. */
  waitForMessage(matches: (message: ReceivedMessage) => boolean, timeoutMs: number, from = 0, what = 'a message'): Promise<ReceivedMessage> {
    const found = this.received.slice(from).find(matches);
    if (found) return Promise.resolve(found);
    return this.waitFor('message', (message) => (matches(message) ? message : undefined), timeoutMs, what);
  }

  /** Resolves once the harness sent a close frame or the connection is gone. */
  waitForClose(timeoutMs: number): Promise<void> {
    if (this.closeFrameReceived || this.isGone) return Promise.resolve();
    return Promise.race([
      this.waitFor('closeFrame', () => true, timeoutMs, 'the harness\'s close frame'),
      this.waitFor('gone', () => true, timeoutMs, 'the connection\'s end'),
    ]).then(() => undefined);
  }

  /** Resolves once the TCP connection is gone. */
  waitForGone(timeoutMs: number): Promise<void> {
    if (this.isGone) return Promise.resolve();
    return this.waitFor('gone', () => true, timeoutMs, 'the connection\'s end').then(() => undefined);
  }

  private waitFor<Name extends keyof PeerSocketEvents, T>(event: Name, pick: (...args: PeerSocketEvents[Name]) => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(() => reject(new Error(`hostile peer: no ${what} within ${timeoutMs} ms`))), timeoutMs);
      const listener = ((...args: PeerSocketEvents[Name]) => {
        const value = pick(...args);
        if (value !== undefined) finish(() => resolve(value));
      }) as never;
      const lost = () => event !== 'gone' && finish(() => reject(new Error(`hostile peer: the connection ended while waiting for ${what}`)));
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.off(event, listener);
        this.off('gone', lost);
        settle();
      };
      this.on(event, listener);
      this.on('gone', lost);
    });
  }

  private onBytes(chunk: Buffer): void {
    if (this.deaf) return;
    for (const frame of this.reader.push(chunk)) this.onFrame(frame);
  }

  private onFrame(frame: WireFrame): void {
    if (frame.opcode === Opcode.Ping) return void this.write(this.frame(Opcode.Pong, frame.payload));
    if (frame.opcode === Opcode.Pong) return;
    if (frame.opcode === Opcode.Close) return this.onCloseFrame(frame.payload);
    this.fragments.push(frame);
    if (!frame.fin) return;
    const [first] = this.fragments;
    const payload = Buffer.concat(this.fragments.map((part) => part.payload));
    this.fragments = [];
    const message = { text: payload.toString('utf8'), binary: first?.opcode === Opcode.Binary };
    this.received.push(message);
    this.emit('message', message);
  }

  private onCloseFrame(payload: Buffer): void {
    this.closeFrameReceived = true;
    this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : undefined;
    this.emit('closeFrame', this.closeCode);
    if (!this.answersClose) return;
    // RFC 6455 §5.5.1: echo the code, then the server side drops TCP.
    void this.write(this.frame(Opcode.Close, payload.subarray(0, 2))).then(() => this.socket.end());
  }
}
