// transport: WebSocket server and client, Basic auth, subprotocol negotiation, raw text frames.
// May import: protocol.
// Must never: interpret OCPP frames or keep protocol state; that is the session's job.
export * from './basic-auth.js';
export * from './connection.js';
export * from './client-certificate.js';
export * from './connection-security.js';
export * from './handshake.js';
export * from './limits.js';
export * from './refusals.js';
export * from './station-path.js';
export * from './subprotocol.js';
export * from './tls-settings.js';
export * from './ws-server.js';
export * from './ws-client.js';
