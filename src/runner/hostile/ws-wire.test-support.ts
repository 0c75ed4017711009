import { createHash, randomBytes } from 'node:crypto';

// RFC 6455 written out by hand for the hostile peer: `ws` refuses to send most of what the corpus
// needs (broken UTF-8, split characters, odd close codes, frames it would never fragment that way).

/** Frame opcodes, RFC 6455 §5.2. */
export const Opcode = { Continuation: 0x0, Text: 0x1, Binary: 0x2, Close: 0x8, Ping: 0x9, Pong: 0xa } as const;

/** One frame as it crosses the wire. */
export interface WireFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/**
 * Encodes one frame. A client masks every frame it sends (RFC 6455 §5.3), a server never does;
 * `fin: false` leaves a message open for continuation frames.
 */
export function encodeFrame(frame: { opcode: number; payload: Buffer; fin?: boolean }, masked: boolean): Buffer {
  const { opcode, payload } = frame;
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + (masked ? 4 : 0));
  header[0] = (frame.fin === false ? 0 : 0x80) | opcode;
  header[1] = (masked ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) header.writeUInt16BE(length, 2);
  if (lengthBytes === 8) header.writeBigUInt64BE(BigInt(length), 2);
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  mask.copy(header, 2 + lengthBytes);
  const body = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([header, body]);
}

/** A close frame's payload: the code, then the UTF-8 reason (RFC 6455 §5.5.1). */
export function closePayload(code: number, reason = ''): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return payload;
}

/** Reads frames out of a byte stream, masked or not, however the bytes were split across reads. */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  /** Adds bytes; returns the frames they completed. */
  push(chunk: Buffer): WireFrame[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const frames: WireFrame[] = [];
    for (let frame = this.next(); frame; frame = this.next()) frames.push(frame);
    return frames;
  }

  private next(): WireFrame | undefined {
    const bytes = this.buffered;
    if (bytes.length < 2) return undefined;
    const masked = (bytes[1]! & 0x80) !== 0;
    let length = bytes[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (bytes.length < 4) return undefined;
      length = bytes.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (bytes.length < 10) return undefined;
      length = Number(bytes.readBigUInt64BE(2));
      offset = 10;
    }
    const maskAt = offset;
    if (masked) offset += 4;
    if (bytes.length < offset + length) return undefined;
    const payload = Buffer.from(bytes.subarray(offset, offset + length));
    if (masked) for (let i = 0; i < length; i++) payload[i] = payload[i]! ^ bytes[maskAt + (i & 3)]!;
    this.buffered = bytes.subarray(offset + length);
    return { fin: (bytes[0]! & 0x80) !== 0, opcode: bytes[0]! & 0x0f, payload };
  }
}

/** The Sec-WebSocket-Accept value for a key (RFC 6455 §4.2.2). */
export function acceptFor(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

/** The opening request of a client (RFC 6455 §4.1), offering one subprotocol. */
export function upgradeRequest(host: string, path: string, subprotocol: string): { text: string; key: string } {
  const key = randomBytes(16).toString('base64');
  const text = [
    `GET ${path} HTTP/1.1`, `Host: ${host}`, 'Upgrade: websocket', 'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Protocol: ${subprotocol}`, '', '',
  ].join('\r\n');
  return { text, key };
}

/** The server's 101 answer to a request with `key`, choosing `subprotocol`. */
export function upgradeResponse(key: string, subprotocol: string): string {
  return [
    'HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${acceptFor(key)}`, `Sec-WebSocket-Protocol: ${subprotocol}`, '', '',
  ].join('\r\n');
}
