import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { OCPP_VERSIONS } from '../protocol/index.js';
import { HandshakeError, NO_SECURITY, OcppServer, RefusalBook, connectAsStation, endpointPathOf, parseBasicAuth, redactAuthorization, stationIdFromPath, type Connection, type RejectedHandshake, type ServerOptions } from './index.js';

let server: OcppServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function listen(options: Partial<ServerOptions> = {}): Promise<OcppServer> {
  server = await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: ['2.0.1'], ...options });
  return server;
}

function nextRejection(target: OcppServer): Promise<RejectedHandshake> {
  return new Promise((resolve) => target.once('rejected', resolve));
}

describe('station path', () => {
  it('takes the endpoint path: the URL path without the identity', () => {
    expect([endpointPathOf('/CS1'), endpointPathOf('/ocpp/CS1'), endpointPathOf('/a/b/CS%201?x=/y'), endpointPathOf('/ocpp/CS1/')]).toEqual(['', '/ocpp', '/a/b', '/ocpp']);
  });

  it('takes the last segment, percent-decoded', () => {
    expect(stationIdFromPath('/ocpp/v201/CS%2F01%20A')).toBe('CS/01 A');
    expect(stationIdFromPath('/CS001?x=1')).toBe('CS001');
    expect(stationIdFromPath('/')).toBeUndefined();
    expect(stationIdFromPath('/%E0%A4%A')).toBeUndefined();
  });
});

describe('Basic auth', () => {
  it('parses and redacts', () => {
    const header = `Basic ${Buffer.from('CS1:secret:with:colons').toString('base64')}`;
    expect(parseBasicAuth(header)).toEqual({ username: 'CS1', password: 'secret:with:colons' });
    expect(redactAuthorization(header)).toBe('Basic <redacted user="CS1">');
    expect(redactAuthorization('Bearer abc')).toBe('Bearer <redacted>');
  });
});

const basicAuth = (password: string) => ({ ...NO_SECURITY, profile: 1 as const, basicAuth: { password } });

describe.each(OCPP_VERSIONS)('OCPP %s handshake', (version) => {
  it('negotiates the subprotocol and reports the handshake on both sides', async () => {
    const target = await listen({ versions: [version] });
    const accepted = new Promise<Connection>((resolve) => target.once('connection', (connection) => resolve(connection)));
    const station = await connectAsStation({ endpoint: `${target.url}/any/path`, stationId: 'CS 01', versions: [version] });
    const connection = await accepted;
    expect(station.version).toBe(version);
    expect(connection.handshake).toMatchObject({ url: '/any/path/CS%2001', stationId: 'CS 01', subprotocol: `ocpp${version}`, responseStatus: 101 });
    expect(connection.handshake.responseHeaders['sec-websocket-protocol']).toBe(`ocpp${version}`);
    expect(station.connection.handshake.responseStatus).toBe(101);
    station.connection.close();
    expect(await connection.whenClosed()).toMatchObject({ code: 1000, initiatedBy: 'remote' });
  });

  it('completes the handshake without a subprotocol and closes when none is common', async () => {
    const other = OCPP_VERSIONS.find((v) => v !== version)!;
    const target = await listen({ versions: [version] });
    const rejected = nextRejection(target);
    const attempt = connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: [other] });
    await expect(attempt).rejects.toBeInstanceOf(HandshakeError);
    const rejection = await rejected;
    expect(rejection.reason).toBe(`no common subprotocol (offered: ocpp${other})`);
    expect(rejection.handshake.responseStatus).toBe(101);
    expect(rejection.handshake.responseHeaders['sec-websocket-protocol']).toBeUndefined();
  });

  it('refuses a wrong Basic-auth password with 401 and never records the secret', async () => {
    const target = await listen({ versions: [version], security: basicAuth('right-password-0123') });
    const rejected = nextRejection(target);
    const attempt = connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: [version], security: basicAuth('wrong-password-0123') });
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as HandshakeError).handshake.responseStatus).toBe(401);
    const rejection = await rejected;
    expect(rejection.reason).toBe('A00.FR.204: wrong Basic-auth credentials for "CS1": wrong password');
    expect(JSON.stringify(rejection)).not.toContain('wrong-password');
    expect(rejection.handshake.requestHeaders['authorization']).toBe('Basic <redacted user="CS1">');
    const ok = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: [version], security: basicAuth('right-password-0123') });
    expect(ok.version).toBe(version);
    ok.connection.close();
  });
});

describe('a password set on a station (A01)', () => {
  it('admits the station only with the new password from then on, at every server sharing the book, until cleared', async () => {
    const book = new RefusalBook();
    const first = await listen({ versions: ['2.0.1'], security: basicAuth('configured-password-0123'), refusals: book });
    const second = await listen({ versions: ['2.0.1'], refusals: book });
    book.setPassword('CS1', 'new-password-456789abc');
    for (const target of [first, second]) {
      const rejected = nextRejection(target);
      const old = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: basicAuth('configured-password-0123') }).catch((e: unknown) => e);
      expect((old as HandshakeError).handshake.responseStatus).toBe(401);
      expect((await rejected).reason).toMatch(/^A00.FR.204: wrong Basic-auth credentials for "CS1"/);
      const admitted = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: basicAuth('new-password-456789abc') });
      admitted.connection.close();
    }
    // Another station keeps the configured password; clearing restores it for CS1.
    (await connectAsStation({ endpoint: first.url, stationId: 'CS2', versions: ['2.0.1'], security: basicAuth('configured-password-0123') })).connection.close();
    book.clear('CS1');
    (await connectAsStation({ endpoint: first.url, stationId: 'CS1', versions: ['2.0.1'], security: basicAuth('configured-password-0123') })).connection.close();
  });
});

describe('admission', () => {
  it('answers an unknown station with 404', async () => {
    const target = await listen({ isKnownStation: (id) => id === 'KNOWN' });
    const rejected = nextRejection(target);
    const error = await connectAsStation({ endpoint: target.url, stationId: 'STRANGER', versions: ['2.0.1'] }).catch((e: unknown) => e);
    expect((error as HandshakeError).handshake.responseStatus).toBe(404);
    expect((await rejected).reason).toBe('unknown station "STRANGER"');
  });

  it('refuses attempts on purpose: a count per station, optionally only at a path, then accepts again', async () => {
    const target = await listen();
    const attempt = async (path: string, stationId = 'CS1') => {
      const outcome = await connectAsStation({ endpoint: `${target.url}${path}`, stationId, versions: ['2.0.1'] }).catch((e: unknown) => e);
      if (outcome instanceof HandshakeError) return outcome.handshake.responseStatus;
      (outcome as { connection: Connection }).connection.terminate();
      return 101;
    };
    target.refuseAttempts({ stationId: 'CS1', count: 2, endpointPath: '/new' });
    const rejected = nextRejection(target);
    expect(await attempt('/old')).toBe(101);
    expect(await attempt('/new', 'CS2')).toBe(101);
    expect(await attempt('/new')).toBe(503);
    expect((await rejected).reason).toBe('refused on purpose by the test case');
    expect(await attempt('/new')).toBe(503);
    expect(await attempt('/new')).toBe(101);
    target.refuseAttempts({ stationId: 'CS1', count: 5 });
    target.clearRefusals('CS1');
    expect(await attempt('/old')).toBe(101);
  });

  it('refuses a username that is not the station identity', async () => {
    const target = await listen({ security: basicAuth('right-password-0123') });
    const error = await connectAsStation({ endpoint: target.url, stationId: 'CS1', username: 'CS2', versions: ['2.0.1'], security: basicAuth('right-password-0123') }).catch((e: unknown) => e);
    expect((error as HandshakeError).handshake.responseStatus).toBe(401);
  });

  it('names the wrong part of refused credentials (A00.FR.204), and admits them where the server skips that check', async () => {
    const strict = await listen({ security: basicAuth('right-password-0123') });
    const rejected = nextRejection(strict);
    await connectAsStation({ endpoint: strict.url, stationId: 'CS1', username: 'CS1Invalid', versions: ['2.0.1'], security: basicAuth('right-password-0123') }).catch(() => undefined);
    expect((await rejected).reason).toBe('A00.FR.204: wrong Basic-auth credentials for "CS1": username "CS1Invalid" is not the station identity');
    await strict.close();
    const lax = await listen({ security: basicAuth('right-password-0123'), skippedChecks: new Set(['username', 'password']) });
    const admitted = await connectAsStation({ endpoint: lax.url, stationId: 'CS1', username: 'CS1Invalid', versions: ['2.0.1'], security: basicAuth('wrong-password-0123') });
    admitted.connection.close();
  });

  it('records the username and what is wrong with the password\'s form (A00.FR.205), never the password or its length', async () => {
    const target = await listen();
    const forms: Array<[string, string | undefined]> = [];
    target.on('connection', (connection) => forms.push([connection.handshake.basicAuth?.username ?? '', connection.handshake.basicAuth?.passwordProblem]));
    for (const password of ['short-0123', 'a-good-Password:0123+|@.*=_', 'x'.repeat(41), 'spaces are not allowed here']) {
      const station = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'], security: basicAuth(password) });
      await new Promise((resolve) => setImmediate(resolve));
      station.connection.close();
    }
    expect(forms).toEqual([
      ['CS1', 'A00.FR.205: the password is shorter than 16 characters'],
      ['CS1', undefined],
      ['CS1', 'A00.FR.205: the password is longer than 40 characters'],
      ['CS1', 'A00.FR.205: the password has characters passwordString does not allow (letters, digits and * - _ = : + | @ . only)'],
    ]);
    expect(JSON.stringify(forms)).not.toMatch(/short-0123|good-Password|xxxx|spaces/);
  });

  it('prefers the server order among several common subprotocols', async () => {
    const target = await listen({ versions: ['2.1', '2.0.1'] });
    const socket = new WebSocket(`${target.url}/CS1`, ['ocpp2.0.1', 'ocpp2.1']);
    const protocol = await new Promise<string>((resolve) => socket.once('open', () => resolve(socket.protocol)));
    expect(protocol).toBe('ocpp2.1');
    socket.close();
  });

  it('hands over messages that arrive before the session listens', async () => {
    const target = await listen();
    const accepted = new Promise<Connection>((resolve) => target.once('connection', (connection) => resolve(connection)));
    const station = await connectAsStation({ endpoint: target.url, stationId: 'CS1', versions: ['2.0.1'] });
    station.connection.send('first');
    station.connection.send('second');
    const connection = await accepted;
    const received: string[] = [];
    await new Promise<void>((resolve) => {
      connection.on('message', (text) => {
        received.push(text);
        if (received.length === 2) resolve();
      });
    });
    expect(received).toEqual(['first', 'second']);
    station.connection.close();
  });
});
