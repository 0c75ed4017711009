import { connect, createServer, type Server, type Socket } from 'node:net';
import type { CorpusEntry, PeerRole, ScriptOp, UpgradeMisbehaviour } from './corpus.test-support.js';
import { PeerSocket, type SentMessage } from './peer-socket.test-support.js';
import { Opcode, upgradeRequest, upgradeResponse } from './ws-wire.test-support.js';

// The scripted hostile peer of the corpus (issue 14). It plays a well-behaved peer around the
// entry's script: the hostile case (OH_HOSTILE_01_*) gets the script, the next case
// (OH_HOSTILE_02_*) a peer that behaves, so that a harness hurt by the script shows it there.
// It waits on what the harness sends, never on the clock; only a trickle is paced by time, as
// that is the misbehaviour itself.

const SUBPROTOCOL = 'ocpp2.0.1';
const END_OF_HEAD = '\r\n\r\n';

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

/**
 * Answers the harness's CALLs like a plain peer, except the actions held back for the script. As
 * station, once `sendsHeartbeat` is set, it follows each accepted TriggerMessage with the Heartbeat
 * asked for, like a real station: the next case is played that way, whenever it comes.
 */
class Answerer {
  readonly held: Array<[string, string]> = [];
  sendsHeartbeat = false;
  private heartbeats = 0;
  private previous: Promise<void> = Promise.resolve();

  constructor(private readonly peer: PeerSocket, private readonly role: PeerRole, private readonly hold: ReadonlySet<string>, private readonly waitMs: number) {
    peer.on('message', ({ text }) => {
      const frame = parseArray(text);
      if (frame?.[0] !== 2 || typeof frame[1] !== 'string' || typeof frame[2] !== 'string') return;
      if (this.hold.has(frame[2])) this.held.push([frame[1], frame[2]]);
      else {
        // Decided on arrival: a TriggerMessage that came before the script ended is the script's to follow up.
        const followUp = frame[2] === 'TriggerMessage' && this.sendsHeartbeat;
        void this.answer(frame[1], frame[2]).then(() => (followUp ? this.heartbeat().catch(() => undefined) : undefined));
      }
    });
  }

  async answer(messageId: string, action: string): Promise<void> {
    await this.peer.sendMessage(Buffer.from(JSON.stringify([3, messageId, replyOf(this.role, action)])));
  }

  /** Sends a Heartbeat and waits for its answer. */
  heartbeat(): Promise<void> {
    return this.request(`hb-${++this.heartbeats}`, 'Heartbeat', {});
  }

  /**
   * Sends a CALL of the well-behaved part and waits for its answer. It must be traced once answered;
   * unanswered, it may have met the end of the run in flight.
   */
  request(messageId: string, action: string, payload: Record<string, unknown>): Promise<void> {
    // One CALL at a time (OCPP-J §4.1.1): a CALL waits until the previous one is answered or given up.
    const request = this.previous.catch(() => undefined).then(async () => {
      const sent = await this.peer.sendMessage(Buffer.from(JSON.stringify([2, messageId, action, payload])), { mustBeTraced: false });
      await this.peer.waitForMessage(isResultTo(messageId), this.waitMs, 0, `the answer to ${action} ${messageId}`);
      if (sent) sent.mustBeTraced = true;
    });
    this.previous = request;
    return request;
  }
}

function replyOf(role: PeerRole, action: string): Record<string, unknown> {
  const now = new Date().toISOString();
  if (role === 'station') return action === 'TriggerMessage' ? { status: 'Accepted' } : {};
  if (action === 'BootNotification') return { status: 'Accepted', interval: 300, currentTime: now };
  if (action === 'Heartbeat') return { currentTime: now };
  return {};
}

function parseArray(text: string): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const isCall = (action: string) => (message: { text: string }) => {
  const frame = parseArray(message.text);
  return frame?.[0] === 2 && frame[2] === action;
};
const isResultTo = (messageId: string) => (message: { text: string }) => {
  const frame = parseArray(message.text);
  return (frame?.[0] === 3 || frame?.[0] === 4) && frame[1] === messageId;
};

/** The connections one script plays on: the hostile one, and the one the case goes on with (they differ after `replace`). */
interface Stage {
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
abstract class ScriptedPeer implements HostilePeer {
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

/**
 * A script's text with its placeholders filled in: `{c*N}` is the character c N times (a 100,000
 * character id), `{firstCallId}` the id of the harness's first CALL on the connection.
 */
function expand(template: string, peer: PeerSocket): string {
  const firstCall = peer.received.map((message) => parseArray(message.text)).find((frame) => frame?.[0] === 2);
  return template
    .replace(/\{(.)\*(\d+)\}/g, (_all, char: string, count: string) => char.repeat(Number(count)))
    .replaceAll('{firstCallId}', String(firstCall?.[1] ?? ''));
}

/** Sends one text message as several frames, split at payload byte offsets (RFC 6455 §5.4). */
async function sendFragments(peer: PeerSocket, payload: Buffer, at: number[]): Promise<void> {
  peer.note(payload);
  const bounds = [0, ...at, payload.length];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const opcode = i === 0 ? Opcode.Text : Opcode.Continuation;
    await peer.write(peer.frame(opcode, payload.subarray(bounds[i], bounds[i + 1]), i + 2 === bounds.length));
  }
}

/** Sends one text frame whose bytes go out in separate TCP writes, split at payload byte offsets. */
async function sendInWrites(peer: PeerSocket, payload: Buffer, at: number[]): Promise<void> {
  peer.note(payload);
  const frame = peer.frame(Opcode.Text, payload);
  const header = frame.length - payload.length;
  const bounds = [0, ...at.map((offset) => header + offset), frame.length];
  for (let i = 0; i + 1 < bounds.length; i++) {
    await peer.write(frame.subarray(bounds[i], bounds[i + 1]));
    // Lets the write leave before the next one is queued behind it.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A CALL of exactly `bytes` bytes: a DataTransfer whose data is padding. */
function bigCall(bytes: number): Buffer {
  const shell = JSON.stringify([2, 'big-1', 'DataTransfer', { vendorId: 'Hostile', data: '' }]);
  return Buffer.from(shell.replace('"data":""', `"data":"${'x'.repeat(Math.max(0, bytes - shell.length))}"`));
}

/** Sends `count` frames as fast as the socket takes them; `{n}` in the frame is its number. */
async function flood(peer: PeerSocket, count: number, template: string): Promise<void> {
  for (let n = 1; n <= count && !peer.isGone; n++) {
    const payload = Buffer.from(template.replaceAll('{n}', String(n)));
    peer.note(payload);
    const bytes = peer.frame(Opcode.Text, payload);
    // Waits for the socket only when its buffer is full: backpressure, not a timer, sets the pace.
    if (!peer.socket.write(bytes)) await new Promise((resolve) => peer.socket.once('drain', resolve).once('close', resolve));
  }
}

/** The hostile peer as a station: connects to the harness's CSMS at `url` as `stationId`. */
export class HostileStation extends ScriptedPeer {
  private readonly host: string;
  private readonly port: number;
  private boots = 0;

  constructor(entry: CorpusEntry, private readonly url: string, private readonly stationId: string, waitMs: number) {
    super(entry, waitMs);
    const parsed = new URL(url);
    this.host = parsed.hostname;
    this.port = Number(parsed.port);
  }

  /** Plays the whole run; resolves when its part is done (the harness then ends the run). */
  async play(): Promise<void> {
    this.openSideUpgrades();
    const first = await this.connect(this.entry.upgrade?.station);
    const stage: Stage = { target: first, current: first, finished: false, silent: false, answerer: this.answererOf(first) };
    await this.attempt('boot', () => this.boot(stage.answerer));
    await this.attempt('the hostile case\'s TriggerMessage', () => first.waitForMessage(isCall('TriggerMessage'), this.waitMs, 0, 'TriggerMessage'));
    await this.playScript(stage);
    // The next case: over the same connection when the script left it fit, else over a new one.
    if (this.stopped || this.usable(stage.current, stage)) return;
    const next = await this.connect();
    const answerer = this.answererOf(next);
    answerer.sendsHeartbeat = true;
    await this.attempt('boot for the next case', () => this.boot(answerer));
  }

  protected async finishCase(stage: Stage): Promise<void> {
    stage.finished = true;
    const peer = stage.current;
    stage.nextCaseFrom = peer.received.length;
    stage.answerer.sendsHeartbeat = true;
    if (!peer.writable || stage.silent && peer === stage.target) return;
    if (peer.deaf) return void (await peer.sendMessage(Buffer.from('[2,"hb-deaf","Heartbeat",{}]'), { mustBeTraced: false }));
    await stage.answerer.heartbeat();
  }

  protected async awaitNextCase(stage: Stage): Promise<void> {
    await stage.current.waitForMessage(isCall('TriggerMessage'), this.waitMs, stage.nextCaseFrom ?? 0, 'the next case\'s TriggerMessage');
  }

  protected async replace(stage: Stage): Promise<void> {
    const fresh = await this.connect();
    stage.answerer = this.answererOf(fresh);
    stage.current = fresh;
    await this.boot(stage.answerer);
  }

  private answererOf(peer: PeerSocket): Answerer {
    return new Answerer(peer, 'station', new Set(), this.waitMs);
  }

  private boot(answerer: Answerer): Promise<void> {
    return answerer.request(`boot-${++this.boots}`, 'BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Hostile', model: 'Peer' } });
  }

  /** Opens a WebSocket to the harness over a raw socket, sending the request as `misbehaviour` says. */
  private async connect(misbehaviour?: UpgradeMisbehaviour): Promise<PeerSocket> {
    const socket = this.track(connect({ host: this.host, port: this.port }));
    const { text } = upgradeRequest(`${this.host}:${this.port}`, `${new URL(this.url).pathname.replace(/\/$/, '')}/${this.stationId}`, SUBPROTOCOL);
    await sendHead(socket, text, misbehaviour);
    const { head, rest } = await readHead(socket, this.waitMs);
    if (!head.startsWith('HTTP/1.1 101')) throw new Error(`hostile station: the harness answered the upgrade with ${head.split('\r\n')[0]}`);
    return new PeerSocket(socket, true, this.report.sent, rest);
  }

  /** Side connections whose upgrade requests misbehave (slowloris, unfinished upgrades). */
  private openSideUpgrades(): void {
    const side = this.entry.sideUpgrades;
    if (!side) return;
    for (let i = 0; i < side.count; i++) {
      const index = this.report.sideLifetimesMs.push(undefined) - 1;
      const openedAt = performance.now();
      const socket = this.track(connect({ host: this.host, port: this.port }));
      socket.once('close', () => {
        if (!this.stopped) this.report.sideLifetimesMs[index] = performance.now() - openedAt;
      });
      const { text } = upgradeRequest(`${this.host}:${this.port}`, `/side-${i}`, SUBPROTOCOL);
      void sendHead(socket, text, side).catch(() => undefined);
    }
  }
}

/** The hostile peer as a CSMS: serves the harness-as-station; its first connection gets the script. */
export class HostileCsms extends ScriptedPeer {
  private server: Server | undefined;
  private connections = 0;
  private playing: Promise<void> = Promise.resolve();

  constructor(entry: CorpusEntry, waitMs: number) {
    super(entry, waitMs);
  }

  /** Listens on a free loopback port; resolves with the URL the harness connects to. */
  async listen(): Promise<string> {
    const server = createServer((socket) => this.onSocket(this.track(socket)));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return `ws://127.0.0.1:${port}/ocpp`;
  }

  /** Resolves once the hostile connection's script is over. */
  done(): Promise<void> {
    return this.playing;
  }

  override stop(): void {
    super.stop();
    this.server?.close();
  }

  protected async finishCase(stage: Stage): Promise<void> {
    stage.finished = true;
    const peer = stage.current;
    if (peer.isGone || stage.silent) return;
    const heartbeat = await peer.waitForMessage(isCall('Heartbeat'), this.waitMs, 0, 'the hostile case\'s Heartbeat').then(() => true, () => false);
    if (!heartbeat) return;
    for (const [messageId, action] of stage.answerer.held.splice(0)) await stage.answerer.answer(messageId, action);
  }

  protected async awaitNextCase(stage: Stage): Promise<void> {
    await stage.current.waitForClose(this.waitMs);
  }

  /** The harness, as station, opens the connections: its next case's `connection: open` replaces this one. */
  protected async replace(): Promise<void> {}

  private onSocket(socket: Socket): void {
    void this.attempt('a connection', async () => {
      const { head, rest } = await readHead(socket, this.waitMs);
      // The first upgrade request is the hostile case's (a bare TCP probe before it does not count).
      const hostile = this.connections++ === 0;
      if (hostile) this.playing = this.attempt('the hostile connection', () => this.serve(socket, head, rest, true));
      else await this.serve(socket, head, rest, false);
    });
  }

  private async serve(socket: Socket, head: string, rest: Buffer, hostile: boolean): Promise<void> {
    const key = /sec-websocket-key:\s*(\S+)/i.exec(head)?.[1] ?? '';
    await sendHead(socket, upgradeResponse(key, SUBPROTOCOL), hostile ? this.entry.upgrade?.csms : undefined);
    const peer = new PeerSocket(socket, false, this.report.sent, rest);
    // The hostile case's Heartbeat waits for the end of the script, so the script plays inside the case.
    const answerer = new Answerer(peer, 'csms', new Set(hostile ? ['Heartbeat'] : []), this.waitMs);
    if (!hostile) return;
    await peer.waitForMessage(isCall('BootNotification'), this.waitMs, 0, 'BootNotification');
    await this.playScript({ target: peer, current: peer, finished: false, silent: false, answerer });
  }
}

/** Writes an HTTP head, at once or as `misbehaviour` says (trickled, stalled, endless). */
async function sendHead(socket: Socket, head: string, misbehaviour: UpgradeMisbehaviour | undefined): Promise<void> {
  if (!misbehaviour) return void socket.write(head);
  const bytes = Buffer.from(misbehaviour.endless ? head.split('\r\n')[0] + '\r\n' : head);
  const stallAt = misbehaviour.stallAfterBytes ?? bytes.length;
  if (!misbehaviour.trickleMs) return void socket.write(bytes.subarray(0, stallAt));
  for (let i = 0; !socket.destroyed && (misbehaviour.endless || i < stallAt); i++) {
    const byte = i < bytes.length ? bytes.subarray(i, i + 1) : Buffer.from('X-Slow: 1\r\n'.charAt((i - bytes.length) % 11));
    socket.write(byte);
    await new Promise((resolve) => setTimeout(resolve, misbehaviour.trickleMs));
  }
}

/** Reads an HTTP head (up to the blank line); the bytes after it belong to the WebSocket. */
function readHead(socket: Socket, timeoutMs: number): Promise<{ head: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error(`no complete HTTP head within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf(END_OF_HEAD);
      if (end >= 0) finish(undefined, { head: buffered.subarray(0, end).toString('latin1'), rest: buffered.subarray(end + END_OF_HEAD.length) });
    };
    const onClose = () => finish(new Error('the connection closed during the opening handshake'));
    const finish = (error?: Error, value?: { head: string; rest: Buffer }) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (value) resolve(value);
      else reject(error);
    };
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}
