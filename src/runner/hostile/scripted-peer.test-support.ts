import type { Socket } from 'node:net';
import { isResultTo, type Answerer } from './answerer.test-support.js';
import type { CorpusEntry, ScriptOp } from './corpus.test-support.js';
import type { PeerSocket, SentMessage } from './peer-socket.test-support.js';
import { bigCall, expand, flood, sendFragments, sendInWrites } from './script-ops.test-support.js';
import { Opcode } from './ws-wire.test-support.js';

/** What the peer saw, for the test's checks. */
export interface PeerReport {
  /** Every data message sent to the harness, on any connection. */
  sent: SentMessage[];
  /** The close code of the harness's close frame on the hostile connection. */
  hostileCloseCode?: number | undefined;
  /** Side connections (sideUpgrades): how long each lasted until the harness dropped it (undefined: still open at the end). */
  sideLifetimesMs: Array<number | undefined>;
  /** What did not go as the script meant (diagnostics; the checks are on the harness). */
  problems: string[];
}

/** Something that plays one entry in one role and can be stopped. */
export interface HostilePeer {
  readonly report: PeerReport;
  stop(): void;
}

/** The connections one script plays on: the hostile one, and the one the case goes on with (they differ after `replace`). */
export interface Stage {
  target: PeerSocket;
  current: PeerSocket;
  /** Where the case's closing exchange starts (`finishCase`), to find the next case's first CALL. */
  nextCaseFrom?: number;
  finished: boolean;
  silent: boolean;
  /** The script waited for the next case (`awaitNextCase`): what it sends now is meant for that case's time. */
  nextCaseBegun?: boolean;
  answerer: Answerer;
}

/** The shared part of both roles: the report, the sockets to stop, how long to wait. */
export abstract class ScriptedPeer implements HostilePeer {
  readonly report: PeerReport = { sent: [], sideLifetimesMs: [], problems: [] };
  protected readonly sockets = new Set<Socket>();
  protected stopped = false;

  constructor(protected readonly entry: CorpusEntry, protected readonly waitMs: number) {}

  stop(): void {
    this.stopped = true;
    for (const socket of this.sockets) socket.destroy();
  }

  protected track(socket: Socket): Socket {
    this.sockets.add(socket);
    // A refused or reset connection shows as a failed wait or a closed socket, never as a crash.
    socket.on('error', () => undefined);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }

  /** Runs a step that may fail when the harness acted first (closed, dropped); the failure is noted. */
  protected async attempt(what: string, step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (error) {
      if (!this.stopped) this.report.problems.push(`${what}: ${(error as Error).message}`);
    }
  }

  /** The script, then (unless it did) the end of the hostile case. */
  protected async playScript(stage: Stage): Promise<void> {
    stage.target.once('closeFrame', (code) => (this.report.hostileCloseCode = code));
    for (const op of this.entry.script) {
      if (this.stopped) return;
      await this.attempt(`script ${Object.keys(op)[0]}`, () => this.playOp(op, stage));
    }
    if (!stage.finished) await this.attempt('finishing the hostile case', () => this.finishCase(stage));
  }

  /** The peer's part of the hostile case after the script: station sends its Heartbeat, CSMS answers it. */
  protected abstract finishCase(stage: Stage): Promise<void>;

  /** A new connection (station role only). */
  protected abstract replace(stage: Stage): Promise<void>;

  private async playOp(op: ScriptOp, stage: Stage): Promise<void> {
    const peer = stage.target;
    // Only what the script sent before the next case began may still be arriving when it begins.
    peer.scripted = !stage.nextCaseBegun;
    try {
      await this.playOn(peer, op, stage);
    } finally {
      peer.scripted = false;
    }
  }

  private async playOn(peer: PeerSocket, op: ScriptOp, stage: Stage): Promise<void> {
    if ('text' in op) {
      for (let i = 0; i < (op.repeat ?? 1); i++) await peer.sendMessage(Buffer.from(expand(op.text, peer)));
    } else if ('textHex' in op) {
      await peer.sendMessage(Buffer.from(op.textHex, 'hex'), { mustBeTraced: op.mustBeTraced ?? true });
    } else if ('binary' in op) {
      await peer.sendMessage(Buffer.from(op.binary), { binary: true });
    } else if ('fragments' in op) {
      await sendFragments(peer, Buffer.from(expand(op.fragments.text, peer)), op.fragments.at);
    } else if ('splitWrites' in op) {
      await sendInWrites(peer, Buffer.from(expand(op.splitWrites.text, peer)), op.splitWrites.at);
    } else if ('bigText' in op) {
      await peer.sendMessage(bigCall(op.bigText.bytes), { mustBeTraced: op.bigText.mustBeTraced ?? true });
    } else if ('flood' in op) {
      await flood(peer, op.flood.count, expand(op.flood.frame, peer));
    } else if ('pings' in op) {
      for (let i = 0; i < op.pings.count && !peer.isGone; i++) await peer.write(peer.frame(Opcode.Ping, Buffer.from(`p${i}`)));
    } else if ('close' in op) {
      await peer.sendClose(op.close.code, op.close.reason);
      await peer.waitForGone(this.waitMs);
    } else if ('stopReading' in op) {
      peer.stopReading();
    } else if ('goSilent' in op) {
      // Half-open TCP: the peer is gone without a FIN or RST; nothing more is read or written.
      peer.stopReading();
      peer.answersClose = false;
      stage.silent = true;
    } else if ('disconnect' in op) {
      peer.socket.destroy();
    } else if ('halfClose' in op) {
      peer.socket.end();
    } else if ('ignoreClose' in op) {
      peer.answersClose = false;
    } else if ('awaitClose' in op) {
      await peer.waitForClose(this.waitMs);
    } else if ('replace' in op) {
      await this.replace(stage);
    } else if ('finishCase' in op) {
      await this.finishCase(stage);
    } else if ('awaitAnswer' in op) {
      await peer.waitForMessage(isResultTo(op.awaitAnswer), this.waitMs, 0, `the answer to ${op.awaitAnswer}`);
    } else if ('awaitNextCase' in op) {
      await this.awaitNextCase(stage);
      stage.nextCaseBegun = true;
    }
  }

  /** Waits until the next case has begun on the current connection. */
  protected abstract awaitNextCase(stage: Stage): Promise<void>;

  /** Whether the case after the hostile one can go on over this connection. */
  protected usable(peer: PeerSocket, stage: Stage): boolean {
    return peer.writable && !peer.closeFrameReceived && !peer.deaf && peer.answersClose && !stage.silent;
  }
}
