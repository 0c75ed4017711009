/** The OCPP versions ocpp-harness speaks, with their OCPP-J WebSocket subprotocol names. */
export const OCPP_VERSIONS = ['1.6', '2.0.1', '2.1'] as const;

/** One OCPP version, spelled as the specifications spell it. */
export type OcppVersion = (typeof OCPP_VERSIONS)[number];

/** Which side of the connection a party plays: charging station or CSMS. */
export type Role = 'cs' | 'csms';

/** Direction of a frame on the wire, spelled as in open-ocpp-trace. */
export type Direction = 'cp-to-csms' | 'csms-to-cp';

// OCPP-J 1.6 §3.1.2, OCPP-J 2.0.1 §3.1.2 and OCPP-J 2.1 §3.1.2 (Table 1) register these names.
const SUBPROTOCOL_OF: Record<OcppVersion, string> = {
  '1.6': 'ocpp1.6',
  '2.0.1': 'ocpp2.0.1',
  '2.1': 'ocpp2.1',
};

/** True when the text names a version ocpp-harness supports. */
export function isOcppVersion(text: unknown): text is OcppVersion {
  return typeof text === 'string' && (OCPP_VERSIONS as readonly string[]).includes(text);
}

/** The Sec-WebSocket-Protocol token of a version, e.g. `ocpp2.0.1`. */
export function subprotocolOf(version: OcppVersion): string {
  return SUBPROTOCOL_OF[version];
}

/** The version a subprotocol token stands for, or undefined for a token we do not speak. */
export function versionOfSubprotocol(token: string): OcppVersion | undefined {
  return OCPP_VERSIONS.find((version) => SUBPROTOCOL_OF[version] === token);
}

/** The direction of a frame sent by the given role. */
export function directionFrom(sender: Role): Direction {
  return sender === 'cs' ? 'cp-to-csms' : 'csms-to-cp';
}

/** The direction opposite to the given one. */
export function oppositeOf(direction: Direction): Direction {
  return direction === 'cp-to-csms' ? 'csms-to-cp' : 'cp-to-csms';
}
