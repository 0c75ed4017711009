import { MessageType, type Frame, type Payload } from '../../protocol/index.js';
import type { OutgoingInterceptor, OutgoingVerdict } from '../../session/index.js';

type Watcher = (frame: Frame, verdict: OutgoingVerdict) => void;

/**
 * The outgoing interceptor of one CSMS session: applies the injected message faults and tells
 * control actions the moment their CALL leaves, so `csmsSend` can return once it is sent.
 */
export class OutgoingWatch {
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly faults: OutgoingInterceptor | undefined) {}

  /** The interceptor to give the session. */
  readonly interceptor: OutgoingInterceptor = (frame, action) => {
    const verdict = this.faults ? this.faults(frame, action) : { send: frame };
    for (const watcher of this.watchers) watcher(frame, verdict);
    return verdict;
  };

  /**
   * Waits for the CALL that carries exactly this payload object (the session sends the object it
   * is given, so identity tells two CALLs of the same action apart). Register before calling.
   */
  whenCallLeaves(payload: Payload): { left: Promise<OutgoingVerdict>; cancel(): void } {
    let watcher: Watcher | undefined;
    const left = new Promise<OutgoingVerdict>((resolve) => {
      watcher = (frame, verdict) => {
        if (frame.type !== MessageType.Call || frame.payload !== payload) return;
        this.watchers.delete(watcher!);
        resolve(verdict);
      };
      this.watchers.add(watcher);
    });
    return { left, cancel: () => this.watchers.delete(watcher!) };
  }
}
