import { createHash } from 'node:crypto';

const MAGIC = 'OCPP-HARNESS-FIRMWARE';
const DIGEST_LINE = /\nsha256 ([0-9a-f]{64})\n$/;

/**
 * A firmware image in the format the reference station installs: a first line
 * `OCPP-HARNESS-FIRMWARE <version>`, a body, and a last line `sha256 <hex>` with the digest of
 * everything before it. The installer checks that digest (its install verification, L01.FR.29),
 * apart from the signature over the whole file (L01.FR.04): a `damaged` image is signed like any
 * other and downloads fine, but its stated digest is wrong, so it never installs.
 */
export function createFirmwareImage(version: string, options: { damaged?: boolean } = {}): Buffer {
  const content = Buffer.from(`${MAGIC} ${version}\n${'ocpp-harness test firmware image\n'.repeat(2048)}`);
  const digest = sha256(options.damaged ? Buffer.concat([content, Buffer.from('damaged')]) : content);
  return Buffer.concat([content, Buffer.from(`sha256 ${digest}\n`)]);
}

/** The version an image installs, or undefined when it fails the install verification (not this format, or a wrong digest). */
export function installableVersion(image: Uint8Array): string | undefined {
  const text = Buffer.from(image).toString('latin1');
  const digestLine = DIGEST_LINE.exec(text);
  if (!digestLine || !text.startsWith(`${MAGIC} `)) return undefined;
  const content = Buffer.from(image).subarray(0, digestLine.index + 1);
  if (sha256(content) !== digestLine[1]) return undefined;
  const version = text.slice(MAGIC.length + 1, text.indexOf('\n')).trim();
  return version || undefined;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
