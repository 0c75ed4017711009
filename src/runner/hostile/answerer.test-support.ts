import type { PeerRole } from './corpus.test-support.js';
import type { PeerSocket } from './peer-socket.test-support.js';

/**
 * Answers the harness's CALLs like a plain peer, except the actions held back for the script. As
 * station, once `sendsHeartbeat` is set, it follows each accepted TriggerMessage with the Heartbeat
 * asked for, like a real station: the next case is played that way, whenever it comes.
 */
export class Answerer {
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

export function parseArray(text: string): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export const isCall = (action: string) => (message: { text: string }) => {
  const frame = parseArray(message.text);
  return frame?.[0] === 2 && frame[2] === action;
};
export const isResultTo = (messageId: string) => (message: { text: string }) => {
  const frame = parseArray(message.text);
  return (frame?.[0] === 3 || frame?.[0] === 4) && frame[1] === messageId;
};
