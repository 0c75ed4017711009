import type { OcppVersion } from './versions.js';

/** OCPP-J message type numbers (OCPP-J 2.0.1 §4.1.3; 2.1 adds 5 and 6). */
export const MessageType = {
  Call: 2,
  CallResult: 3,
  CallError: 4,
  CallResultError: 5,
  Send: 6,
} as const;

/** One OCPP-J message type number. */
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** The message type names used in traces and reports. */
export type MessageTypeName = 'CALL' | 'CALLRESULT' | 'CALLERROR' | 'CALLRESULTERROR' | 'SEND';

const NAME_OF: Record<MessageType, MessageTypeName> = {
  2: 'CALL',
  3: 'CALLRESULT',
  4: 'CALLERROR',
  5: 'CALLRESULTERROR',
  6: 'SEND',
};

/** The trace name of a message type number. */
export function nameOfMessageType(type: MessageType): MessageTypeName {
  return NAME_OF[type];
}

/** The message type number of a trace name, or undefined for a name that is not a message type. */
export function messageTypeOfName(name: string): MessageType | undefined {
  return TYPE_OF.get(name);
}

// Asked for every trace record: a lookup, not a search.
const TYPE_OF: ReadonlyMap<string, MessageType> = new Map(Object.entries(NAME_OF).map(([type, name]) => [name, Number(type) as MessageType]));

/** True when the version defines the message type (CALLRESULTERROR and SEND arrived with OCPP 2.1). */
export function isMessageTypeOf(version: OcppVersion, type: number): type is MessageType {
  if (type === MessageType.Call || type === MessageType.CallResult || type === MessageType.CallError) return true;
  return version === '2.1' && (type === MessageType.CallResultError || type === MessageType.Send);
}
