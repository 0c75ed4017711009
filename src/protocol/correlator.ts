import { DEFAULT_CONVERSATION_MEMORY, setCapped } from './capped-map.js';
import { createFinding, type Finding } from './findings.js';
import { oppositeOf, type Direction, type OcppVersion } from './versions.js';

/** A reference to where a frame sits (a trace record index, or any number the caller chooses). */
export type FrameRef = number;

interface OpenCall {
  action: string;
  ref: FrameRef;
  sentAtMs: number;
  timedOut: boolean;
  /** False for a broken frame an answer may correlate with but is not owed to (see isAnswerOwed). */
  owed: boolean;
  /** A broken frame: its sender may not even have meant a CALL, so it never makes a later CALL concurrent. */
  broken: boolean;
}

/** What the correlator learnt about a response frame. */
export interface ResponseMatch {
  /** The action of the CALL it answers, when it answers one. */
  action?: string;
  /** The reference of that CALL. */
  callRef?: FrameRef;
  findings: Finding[];
}

/** Options of a correlator. */
export interface CorrelatorOptions {
  /**
   * After this many milliseconds without an answer a CALL counts as timed out, so a next CALL
   * from the same side is no longer a second outstanding one (OCPP-J §4.1.1).
   */
  callTimeoutMs: number;
  /**
   * How many used message ids, answered CALLs and unanswered CALLs to remember per direction
   * (default 10000), so a long session runs in bounded memory; reuse of an id older than that
   * goes unnoticed, and an unanswered CALL older than that is reported unanswered and forgotten.
   */
  memory?: number;
  /**
   * Receives an unanswered CALL given up on past `memory`, so its finding lands on that CALL's
   * record: the party at fault is the one that never answered, not the sender of the CALL that
   * pushed it out. Without it, the finding comes back with the newer CALL's findings.
   */
  onGivenUp?: (call: UnansweredCall) => void;
}

/** A CALL (or a broken frame owed an answer) that no response correlated with. */
export interface UnansweredCall {
  direction: Direction;
  messageId: string;
  action: string;
  ref: FrameRef;
}

/**
 * The keys added to a Set or Map, oldest first, in a ring: once `limit` are held, adding one
 * forgets the oldest. (Deleting a Map's first key and asking for the next first key is not O(1)
 * in V8: the deleted slots are walked again every time.)
 */
class Retention {
  private readonly ring: string[] = [];
  private next = 0;

  constructor(private readonly collection: Set<string> | Map<string, unknown>, private readonly limit: number) {}

  /** Records that `key` was just added, and forgets the oldest key when over the limit. */
  added(key: string): void {
    if (this.ring.length < this.limit) {
      this.ring.push(key);
      return;
    }
    const oldest = this.ring[this.next]!;
    if (oldest !== key) this.collection.delete(oldest);
    this.ring[this.next] = key;
    this.next = (this.next + 1) % this.limit;
  }
}

/**
 * Pairs CALLs with their responses on one connection and reports the OCPP-J §4.1 correlation
 * rules a party broke. It is pure bookkeeping, with time passed in, so the live session and
 * the offline trace inspector judge a conversation the same way.
 *
 * A response pairs with the most recent unanswered CALL of the opposite direction with the same
 * message id (the open-ocpp-trace correlation rule).
 */
export class Correlator {
  private readonly open = { 'cp-to-csms': new Map<string, OpenCall>(), 'csms-to-cp': new Map<string, OpenCall>() };
  private readonly answered = { 'cp-to-csms': new Map<string, OpenCall>(), 'csms-to-cp': new Map<string, OpenCall>() };
  private readonly usedIds = { 'cp-to-csms': new Set<string>(), 'csms-to-cp': new Set<string>() };
  /** The CALL answered last per direction, and when its answer left: a CALL that arrived before that was concurrent. */
  private readonly lastAnswered: Record<Direction, { id: string; call: OpenCall; answeredAtMs: number } | undefined> = { 'cp-to-csms': undefined, 'csms-to-cp': undefined };
  private readonly retention: Record<'usedIds' | 'answered', Record<Direction, Retention>>;

  constructor(readonly version: OcppVersion, private readonly options: CorrelatorOptions) {
    const limit = options.memory ?? DEFAULT_CONVERSATION_MEMORY;
    this.retention = {
      usedIds: { 'cp-to-csms': new Retention(this.usedIds['cp-to-csms'], limit), 'csms-to-cp': new Retention(this.usedIds['csms-to-cp'], limit) },
      answered: { 'cp-to-csms': new Retention(this.answered['cp-to-csms'], limit), 'csms-to-cp': new Retention(this.answered['csms-to-cp'], limit) },
    };
  }

  /** Registers a CALL sent in `direction`; returns the findings against its sender. */
  onCall(direction: Direction, messageId: string, action: string, ref: FrameRef, atMs: number): Finding[] {
    const findings: Finding[] = [];
    const used = this.usedIds[direction];
    if (used.has(messageId)) {
      findings.push(createFinding(this.version, 'duplicate-message-id', `CALL ${action} reuses message id "${messageId}"`, messageId));
    }
    if (!used.has(messageId)) this.retention.usedIds[direction].added(messageId);
    used.add(messageId);
    const outstanding = this.outstanding(direction, atMs);
    if (outstanding) {
      const message = `CALL ${action} sent while CALL ${outstanding.action} (message id "${outstanding.id}") was still unanswered`;
      findings.push(createFinding(this.version, 'concurrent-call', message, messageId));
    }
    findings.push(...this.keepOpen(direction, messageId, { action, ref, sentAtMs: atMs, timedOut: false, owed: true, broken: false }));
    return findings;
  }

  /**
   * Registers a broken frame sent in `direction` that may be answered with a CALLERROR carrying
   * `messageId` (its id, or "-1"; OCPP-J §4.2.3). It counts as unanswered only when `owed`.
   */
  onBrokenCall(direction: Direction, messageId: string, label: string, ref: FrameRef, atMs: number, owed: boolean): Finding[] {
    return this.keepOpen(direction, messageId, { action: label, ref, sentAtMs: atMs, timedOut: false, owed, broken: true });
  }

  // Past `memory` unanswered CALLs the oldest is given up on: it is reported now, as it would be
  // at the end of a trace, and an answer that still comes is an orphan.
  private keepOpen(direction: Direction, messageId: string, call: OpenCall): Finding[] {
    const open = this.open[direction];
    const forgotten = open.get(open.keys().next().value ?? '');
    const dropped = setCapped(open, messageId, call, this.options.memory ?? DEFAULT_CONVERSATION_MEMORY);
    if (dropped === undefined || !forgotten?.owed) return [];
    if (this.options.onGivenUp) {
      this.options.onGivenUp({ direction, messageId: dropped, action: forgotten.action, ref: forgotten.ref });
      return [];
    }
    const message = `CALL ${forgotten.action} (message id "${dropped}") was never answered while ${open.size} later CALLs were sent; it is no longer tracked`;
    return [createFinding(this.version, 'unanswered-call', message, dropped)];
  }

  /** Registers a SEND (OCPP 2.1): it expects no answer, but its id must still be fresh. */
  onSend(direction: Direction, messageId: string, action: string): Finding[] {
    const used = this.usedIds[direction];
    const duplicate = used.has(messageId);
    if (!duplicate) this.retention.usedIds[direction].added(messageId);
    used.add(messageId);
    return duplicate ? [createFinding(this.version, 'duplicate-message-id', `SEND ${action} reuses message id "${messageId}"`, messageId)] : [];
  }

  /** Registers a CALLRESULT or CALLERROR sent in `direction`; says which CALL it answers. */
  onResponse(direction: Direction, messageId: string, kind: string, atMs: number): ResponseMatch {
    const callDirection = oppositeOf(direction);
    const call = this.open[callDirection].get(messageId);
    if (call) {
      this.open[callDirection].delete(messageId);
      if (!this.answered[callDirection].has(messageId)) this.retention.answered[callDirection].added(messageId);
      this.answered[callDirection].set(messageId, call);
      this.lastAnswered[callDirection] = { id: messageId, call, answeredAtMs: atMs };
      const findings: Finding[] = [];
      if (call.timedOut || atMs - call.sentAtMs > this.options.callTimeoutMs) {
        const message = `${kind} for ${call.action} (message id "${messageId}") arrived after ${Math.round(atMs - call.sentAtMs)} ms, beyond the ${this.options.callTimeoutMs} ms timeout`;
        findings.push(createFinding(this.version, 'late-response', message, messageId));
      }
      return { action: call.action, callRef: call.ref, findings };
    }
    const earlier = this.answered[callDirection].get(messageId);
    if (earlier) {
      const message = `${kind} answers CALL ${earlier.action} (message id "${messageId}") a second time`;
      return { action: earlier.action, callRef: earlier.ref, findings: [createFinding(this.version, 'duplicate-response', message, messageId)] };
    }
    const message = `${kind} with message id "${messageId}" answers no CALL`;
    return { findings: [createFinding(this.version, 'orphan-response', message, messageId)] };
  }

  /** Marks a CALL as timed out: it stays correlatable, but an answer to it is now late. */
  onTimeout(direction: Direction, messageId: string): void {
    const call = this.open[direction].get(messageId);
    if (call) call.timedOut = true;
  }

  /** The CALLs never answered, in the order they were sent. */
  unanswered(): UnansweredCall[] {
    const all = (['cp-to-csms', 'csms-to-cp'] as const).flatMap((direction) =>
      [...this.open[direction]].filter(([, call]) => call.owed).map(([messageId, call]) => ({ direction, messageId, action: call.action, ref: call.ref })),
    );
    return all.sort((a, b) => a.ref - b.ref);
  }

  // Judged on arrival times: a CALL that arrived before the previous one's answer left was sent
  // while that one was outstanding, even when it is processed after the answer.
  private outstanding(direction: Direction, atMs: number): { id: string; action: string } | undefined {
    const last = this.lastAnswered[direction];
    if (last && last.call.sentAtMs <= atMs && atMs < last.answeredAtMs && !last.call.timedOut) return { id: last.id, action: last.call.action };
    const open = this.open[direction];
    if (open.size === 0) return undefined;
    for (const [id, call] of open) {
      if (!call.broken && !call.timedOut && atMs - call.sentAtMs <= this.options.callTimeoutMs) return { id, action: call.action };
    }
    return undefined;
  }
}
