import { DEFAULT_CONVERSATION_MEMORY, setCapped } from './capped-map.js';
import { createFinding, type Finding } from './findings.js';
import type { Direction, OcppVersion } from './versions.js';

/** Options of the stream rules of one conversation. */
export interface StreamRuleOptions {
  /** Judge the station's heartbeat spacing (off when the station side is scripted, e.g. the harness). */
  heartbeat?: boolean;
}

type Json = Record<string, unknown>;

interface TransactionSeq {
  lastSeqNo: number;
  /** A TransactionEvent of it was refused or left unanswered: a retry may fill a gap later. */
  retryPending: boolean;
}

// A station is late when silent this much longer than its interval: one interval and a quarter,
// plus 5 s for the network and the timer resolution of small devices.
const LATE_FACTOR = 1.25;
const LATE_SLACK_MS = 5_000;
// Two heartbeats closer than half the interval were not sent on the interval's timer.
const EARLY_FACTOR = 0.5;

const STATION: Direction = 'cp-to-csms';

/**
 * The actions whose payloads (request or response) the stream rules read; they see any other
 * payload as `{}`, so a caller may leave it out (the trace inspector's worker threads do).
 */
export const STREAM_RULE_ACTIONS: ReadonlySet<string> = new Set(['TransactionEvent', 'BootNotification', 'TriggerMessage', 'SetVariables', 'ChangeConfiguration']);

/**
 * Rules about the whole conversation rather than one frame, fed every frame in arrival order with
 * its time: TransactionEvent seqNo continuity per transaction (Part 2 §E 1.3.2.1), the heartbeat
 * spacing the CSMS set (B01.FR.04, G02.FR.02; 1.6 §4.2, §4.6), and the idTokenInfo a
 * TransactionEventResponse owes a request that carried an idToken (E01.FR.12, E03.FR.02).
 * Pure bookkeeping with time passed in, like the Correlator. Each map keeps at most
 * DEFAULT_CONVERSATION_MEMORY entries: past that the oldest transaction or open request is
 * forgotten (a later frame of it is then judged as if it were the first), never an unbounded growth.
 */
export class StreamRules {
  private readonly transactions = new Map<string, TransactionSeq>();
  /** Open TransactionEvent CALLs: their transaction and whether they carried an idToken. */
  private readonly openTransactionEvents = new Map<string, { transactionId?: string; withIdToken: boolean }>();
  /** Open CSMS requests that set HeartbeatInterval, with the value they set. */
  private readonly openIntervalChanges = new Map<string, number>();
  private intervalS: number | undefined;
  private lastStationFrameMs: number | undefined;
  private lastHeartbeatMs: number | undefined;
  private heartbeatTriggered = false;

  constructor(readonly version: OcppVersion, private readonly options: StreamRuleOptions = {}) {}

  /** A CALL in `direction`; returns the findings against its sender. */
  onCall(direction: Direction, action: string, payload: unknown, messageId: string, atMs: number): Finding[] {
    const body = bodyOf(action, payload);
    if (direction !== STATION) {
      this.noteCsmsRequest(action, body, messageId);
      return [];
    }
    const findings = this.judgeSpacing(action, atMs);
    if (action === 'TransactionEvent') findings.push(...this.judgeSeqNo(body, messageId));
    return findings;
  }

  /** A CALLRESULT in `direction` answering a CALL of `action`. */
  onResult(direction: Direction, action: string | undefined, payload: unknown, messageId: string, atMs: number): Finding[] {
    const body = bodyOf(action, payload);
    if (direction === STATION) {
      this.lastStationFrameMs = atMs;
      const value = this.openIntervalChanges.get(messageId);
      this.openIntervalChanges.delete(messageId);
      if (value !== undefined && acceptsIntervalChange(action, body)) this.promise(value, atMs);
      return [];
    }
    if (action === 'BootNotification' && body['status'] === 'Accepted') this.promise(Number(body['interval']), atMs);
    const open = this.openTransactionEvents.get(messageId);
    if (action !== 'TransactionEvent' || !open) return [];
    this.openTransactionEvents.delete(messageId);
    if (!open.withIdToken || body['idTokenInfo'] !== undefined) return [];
    return [createFinding(this.version, 'idtokeninfo-missing', `TransactionEventResponse has no idTokenInfo, but its request carried an idToken`, messageId)];
  }

  /** A CALLERROR in `direction` (or a CALL that timed out): a refused TransactionEvent may come again. */
  onError(direction: Direction, messageId: string, atMs: number): void {
    if (direction === STATION) {
      this.lastStationFrameMs = atMs;
      this.openIntervalChanges.delete(messageId);
      return;
    }
    const open = this.openTransactionEvents.get(messageId);
    this.openTransactionEvents.delete(messageId);
    const transaction = open?.transactionId === undefined ? undefined : this.transactions.get(open.transactionId);
    if (transaction) transaction.retryPending = true;
  }

  private promise(intervalS: number, atMs: number): void {
    this.intervalS = Number.isInteger(intervalS) && intervalS > 0 ? intervalS : undefined;
    this.lastHeartbeatMs = undefined;
    this.lastStationFrameMs = atMs;
  }

  private noteCsmsRequest(action: string, body: Json, messageId: string): void {
    if (action === 'TriggerMessage' && body['requestedMessage'] === 'Heartbeat') this.heartbeatTriggered = true;
    const value = intervalSetBy(action, body);
    if (value !== undefined) setCapped(this.openIntervalChanges, messageId, value, DEFAULT_CONVERSATION_MEMORY);
  }

  private judgeSpacing(action: string, atMs: number): Finding[] {
    const findings: Finding[] = [];
    const intervalMs = this.intervalS === undefined ? undefined : this.intervalS * 1000;
    if (this.options.heartbeat !== false && intervalMs !== undefined) {
      const silentMs = this.lastStationFrameMs === undefined ? 0 : atMs - this.lastStationFrameMs;
      if (silentMs > intervalMs * LATE_FACTOR + LATE_SLACK_MS) {
        findings.push(createFinding(this.version, 'heartbeat-interval', `the station sent nothing for ${seconds(silentMs)} s, although the CSMS set its heartbeat interval to ${this.intervalS} s`));
      }
      const sinceHeartbeatMs = this.lastHeartbeatMs === undefined ? undefined : atMs - this.lastHeartbeatMs;
      if (action === 'Heartbeat' && !this.heartbeatTriggered && sinceHeartbeatMs !== undefined && sinceHeartbeatMs < intervalMs * EARLY_FACTOR) {
        findings.push(createFinding(this.version, 'heartbeat-interval', `Heartbeat ${seconds(sinceHeartbeatMs)} s after the previous one, although the CSMS set the heartbeat interval to ${this.intervalS} s`));
      }
    }
    if (action === 'Heartbeat') {
      this.lastHeartbeatMs = atMs;
      this.heartbeatTriggered = false;
    }
    this.lastStationFrameMs = atMs;
    return findings;
  }

  private judgeSeqNo(body: Json, messageId: string): Finding[] {
    const transactionId = asObject(body['transactionInfo'])['transactionId'];
    const seqNo = body['seqNo'];
    const id = typeof transactionId === 'string' ? transactionId : undefined;
    setCapped(this.openTransactionEvents, messageId, { ...(id !== undefined ? { transactionId: id } : {}), withIdToken: body['idToken'] !== undefined }, DEFAULT_CONVERSATION_MEMORY);
    if (id === undefined || typeof seqNo !== 'number' || !Number.isInteger(seqNo)) return [];
    const known = this.transactions.get(id);
    if (!known) {
      setCapped(this.transactions, id, { lastSeqNo: seqNo, retryPending: false }, DEFAULT_CONVERSATION_MEMORY);
      return [];
    }
    const findings: Finding[] = [];
    // Part 2 §E 1.3.2.1: each TransactionEventRequest increases seqNo by 1. A retry repeats an
    // earlier number; a queued (offline) message or a pending retry may legitimately come later.
    if (seqNo > known.lastSeqNo + 1 && !known.retryPending && body['offline'] !== true) {
      const missing = seqNo - known.lastSeqNo === 2 ? `${known.lastSeqNo + 1} is` : `${known.lastSeqNo + 1} to ${seqNo - 1} are`;
      findings.push(createFinding(this.version, 'seqno-gap', `TransactionEvent seqNo ${seqNo} follows ${known.lastSeqNo} in transaction "${id}": ${missing} missing`, messageId));
    }
    known.lastSeqNo = Math.max(known.lastSeqNo, seqNo);
    return findings;
  }
}

function bodyOf(action: string | undefined, payload: unknown): Json {
  return action !== undefined && STREAM_RULE_ACTIONS.has(action) ? asObject(payload) : {};
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 1 : 0);
}

const sameName = (value: unknown, name: string) => typeof value === 'string' && value.toLowerCase() === name.toLowerCase();

// 2.x: SetVariables of OCPPCommCtrlr.HeartbeatInterval; 1.6: ChangeConfiguration of HeartbeatInterval.
function intervalSetBy(action: string, body: Json): number | undefined {
  if (action === 'ChangeConfiguration' && sameName(body['key'], 'HeartbeatInterval')) return Number(body['value']);
  if (action !== 'SetVariables' || !Array.isArray(body['setVariableData'])) return undefined;
  const entry = (body['setVariableData'] as unknown[]).map(asObject).find(isHeartbeatInterval);
  return entry ? Number(entry['attributeValue']) : undefined;
}

function isHeartbeatInterval(entry: Json): boolean {
  return sameName(asObject(entry['component'])['name'], 'OCPPCommCtrlr') && sameName(asObject(entry['variable'])['name'], 'HeartbeatInterval')
    && (entry['attributeType'] === undefined || entry['attributeType'] === 'Actual');
}

function acceptsIntervalChange(action: string | undefined, body: Json): boolean {
  if (action === 'ChangeConfiguration') return body['status'] === 'Accepted';
  if (action !== 'SetVariables' || !Array.isArray(body['setVariableResult'])) return false;
  return (body['setVariableResult'] as unknown[]).map(asObject).some((result) => isHeartbeatInterval(result) && result['attributeStatus'] === 'Accepted');
}
