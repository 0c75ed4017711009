import { describe, expect, it } from 'vitest';
import type { Payload } from '../../protocol/index.js';
import type { Session } from '../../session/index.js';
import { SettingSnapshot } from './setting-snapshot.js';

/** A 1.6 station's session that answers GetConfiguration from `keys` and records every ChangeConfiguration. */
function fakeSession(keys: Record<string, string>): { session: Session; changes: Payload[] } {
  const changes: Payload[] = [];
  const call = async (action: string, payload: Payload) => {
    if (action === 'GetConfiguration') return { kind: 'result', payload: { configurationKey: (payload['key'] as string[]).map((key) => ({ key, readonly: false, value: keys[key] })) } };
    changes.push(payload);
    return { kind: 'result', payload: { status: 'Accepted' } };
  };
  return { session: { call } as unknown as Session, changes };
}

describe('the settings a 1.6 case changed, set back after it', () => {
  it('sets back an ordinary key, and leaves SecurityProfile to restoreSecurityProfile (A05.FR.01: it only goes up over OCPP)', async () => {
    const { session, changes } = fakeSession({ HeartbeatInterval: '300', SecurityProfile: '1' });
    const snapshot = new SettingSnapshot('1.6', 1000);
    await snapshot.readBefore(session, 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '10' });
    await snapshot.readBefore(session, 'ChangeConfiguration', { key: 'SecurityProfile', value: '2' });
    const outcome = await snapshot.restore(session, [{ key: 'HeartbeatInterval', target: { key: 'HeartbeatInterval' } }, { key: 'SecurityProfile', target: { key: 'SecurityProfile' } }]);
    expect(changes).toEqual([{ key: 'HeartbeatInterval', value: '300' }]);
    expect(outcome.problems).toEqual([]);
    expect(outcome.done).toEqual(['configuration key HeartbeatInterval set back to "300"', 'configuration key SecurityProfile left to the device action restoreSecurityProfile (it cannot be lowered over OCPP)']);
  });
});
