import { hostname, networkInterfaces } from 'node:os';
import type { TestPki } from '../pki/index.js';
import type { OcppVersion } from '../protocol/index.js';
import { OcppServer, RefusalBook, usesTls, type ConnectionLimits, type ConnectionSecurity } from '../transport/index.js';
import { ENDPOINT_PATHS } from './csms-endpoints.js';

/** What the harness's CSMS serves: the configured security, and the TLS security cases fitted to it need (--builtin). */
export interface CsmsServersRequest {
  listen: { host: string; port: number };
  ocpp: OcppVersion;
  /** Issues the new-root endpoint's certificate (csmsRoot2). */
  pki: TestPki;
  /** The configured security (see connectionSecurity): the server at `listen` follows it (wss from profile 2). */
  security: ConnectionSecurity;
  /** With a plain `security`: the security of cases that need TLS; another server serves wss for them. */
  tlsSecurity?: ConnectionSecurity;
  /**
   * Below profile 3 (configured, and in `tlsSecurity`): the security of cases that need mutual TLS;
   * another wss server asks them for client certificates (A00.FR.402).
   */
  mutualSecurity?: ConnectionSecurity;
  /** The bounds of every connection, and how long a station's opening handshake may take (issue 14). */
  limits: ConnectionLimits;
  handshakeMs: number;
}

/** The servers of the harness's CSMS, sharing one refusal book. */
export interface CsmsServers {
  /** Every server; the first listens at `listen`. */
  all: OcppServer[];
  refusals: RefusalBook;
  /** The base URL for a station connected with this security. */
  urlFor(security: ConnectionSecurity): string;
  /** When TLS is served: the port of the new-root endpoint (its certificate issued by csmsRoot2). */
  newRootPort?: number;
  close(): Promise<void>;
}

/**
 * Starts the harness's CSMS: the server at `listen` (plain ws, or wss from security profile 2
 * with the certificate of `security`, csmsRoot's), and whenever TLS is served the new-root endpoint, a wss
 * server whose certificate csmsRoot2 issued, at the next port (any free port when `listen` picks
 * one). Against the built-in reference with a plain configuration, cases that need TLS get a
 * further wss server (csmsRoot) on a free port, and cases that need profile 3 one that asks for
 * client certificates. The new-root path is served by its server only.
 */
export async function startCsmsServers(request: CsmsServersRequest): Promise<CsmsServers> {
  const { listen, security } = request;
  const refusals = new RefusalBook();
  const started: OcppServer[] = [];
  const close = async () => {
    for (const server of started) await server.close();
  };
  const start = async (port: number, serverSecurity: ConnectionSecurity, isKnownEndpoint: (path: string) => boolean) => {
    const server = await OcppServer.listen({
      host: listen.host, port, versions: [request.ocpp], refusals, isKnownEndpoint, security: serverSecurity, limits: request.limits, handshakeMs: request.handshakeMs,
    });
    started.push(server);
    return server;
  };
  const notNewRoot = (path: string) => path !== ENDPOINT_PATHS.newRoot;
  try {
    const tlsConfigured = usesTls(security);
    const main = await start(listen.port, security, notNewRoot);
    const tlsSecurity = tlsConfigured ? security : request.tlsSecurity;
    if (!tlsSecurity) return { all: started, refusals, urlFor: () => main.url, close };
    const tlsMain = tlsConfigured ? main : await start(0, tlsSecurity, notNewRoot);
    // The "new CSMS" of TC_B_50_CS: the same security, a server certificate of another root.
    const newRootSecurity = { ...tlsSecurity, serverCertificate: request.pki.serverCertificate('csmsRoot2', serverHosts(listen.host)) };
    const newRoot = await start(tlsConfigured && listen.port !== 0 ? listen.port + 1 : 0, newRootSecurity, (path) => path === ENDPOINT_PATHS.newRoot);
    const mutual = request.mutualSecurity && tlsSecurity.profile < 3 ? await start(0, request.mutualSecurity, notNewRoot) : undefined;
    const urlFor = (connection: ConnectionSecurity) => (mutual && connection.profile === 3 ? mutual.url : usesTls(connection) ? tlsMain.url : main.url);
    return { all: started, refusals, urlFor, newRootPort: portOf(newRoot.url), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The host names and addresses the harness's server certificates name: the listen host (for a
 * wildcard address, this machine's name and addresses instead), 127.0.0.1 and localhost. The
 * first is the certificate's commonName.
 */
export function serverHosts(listenHost: string): string[] {
  const wildcard = listenHost === '' || listenHost === '0.0.0.0' || listenHost === '::';
  const own = wildcard ? [hostname(), ...Object.values(networkInterfaces()).flat().filter((address) => address && !address.internal).map((address) => address!.address)] : [listenHost];
  return [...new Set([...own, '127.0.0.1', 'localhost'])];
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}
