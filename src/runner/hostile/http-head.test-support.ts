import type { Socket } from 'node:net';
import type { UpgradeMisbehaviour } from './corpus.test-support.js';

const END_OF_HEAD = '\r\n\r\n';

/** Writes an HTTP head, at once or as `misbehaviour` says (trickled, stalled, endless). */
export async function sendHead(socket: Socket, head: string, misbehaviour: UpgradeMisbehaviour | undefined): Promise<void> {
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
export function readHead(socket: Socket, timeoutMs: number): Promise<{ head: string; rest: Buffer }> {
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
