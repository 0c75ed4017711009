import { parseArray } from './answerer.test-support.js';
import type { PeerSocket } from './peer-socket.test-support.js';
import { Opcode } from './ws-wire.test-support.js';

// The wire work of the corpus's script operations that take more than one call: placeholders,
// fragmented and split frames, an oversized CALL, a flood.

/**
 * A script's text with its placeholders filled in: `{c*N}` is the character c N times (a 100,000
 * character id), `{firstCallId}` the id of the harness's first CALL on the connection.
 */
export function expand(template: string, peer: PeerSocket): string {
  const firstCall = peer.received.map((message) => parseArray(message.text)).find((frame) => frame?.[0] === 2);
  return template
    .replace(/\{(.)\*(\d+)\}/g, (_all, char: string, count: string) => char.repeat(Number(count)))
    .replaceAll('{firstCallId}', String(firstCall?.[1] ?? ''));
}

/** Sends one text message as several frames, split at payload byte offsets (RFC 6455 §5.4). */
export async function sendFragments(peer: PeerSocket, payload: Buffer, at: number[]): Promise<void> {
  peer.note(payload);
  const bounds = [0, ...at, payload.length];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const opcode = i === 0 ? Opcode.Text : Opcode.Continuation;
    await peer.write(peer.frame(opcode, payload.subarray(bounds[i], bounds[i + 1]), i + 2 === bounds.length));
  }
}

/** Sends one text frame whose bytes go out in separate TCP writes, split at payload byte offsets. */
export async function sendInWrites(peer: PeerSocket, payload: Buffer, at: number[]): Promise<void> {
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
export function bigCall(bytes: number): Buffer {
  const shell = JSON.stringify([2, 'big-1', 'DataTransfer', { vendorId: 'Hostile', data: '' }]);
  return Buffer.from(shell.replace('"data":""', `"data":"${'x'.repeat(Math.max(0, bytes - shell.length))}"`));
}

/** Sends `count` frames as fast as the socket takes them; `{n}` in the frame is its number. */
export async function flood(peer: PeerSocket, count: number, template: string): Promise<void> {
  for (let n = 1; n <= count && !peer.isGone; n++) {
    const payload = Buffer.from(template.replaceAll('{n}', String(n)));
    peer.note(payload);
    const bytes = peer.frame(Opcode.Text, payload);
    // Waits for the socket only when its buffer is full: backpressure, not a timer, sets the pace.
    if (!peer.socket.write(bytes)) await new Promise((resolve) => peer.socket.once('drain', resolve).once('close', resolve));
  }
}
