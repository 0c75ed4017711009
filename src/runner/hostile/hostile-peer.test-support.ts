import { connect, createServer, type Server, type Socket } from 'node:net';
import { Answerer, isCall } from './answerer.test-support.js';
import type { CorpusEntry, UpgradeMisbehaviour } from './corpus.test-support.js';
import { readHead, sendHead } from './http-head.test-support.js';
import { PeerSocket } from './peer-socket.test-support.js';
import { ScriptedPeer, type Stage } from './scripted-peer.test-support.js';
import { upgradeRequest, upgradeResponse } from './ws-wire.test-support.js';

// The scripted hostile peer of the corpus (issue 14). It plays a well-behaved peer around the
// entry's script: the hostile case (OH_HOSTILE_01_*) gets the script, the next case
// (OH_HOSTILE_02_*) a peer that behaves, so that a harness hurt by the script shows it there.
// It waits on what the harness sends, never on the clock; only a trickle is paced by time, as
// that is the misbehaviour itself.

const SUBPROTOCOL = 'ocpp2.0.1';

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
