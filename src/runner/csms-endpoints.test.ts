import { describe, expect, it } from 'vitest';
import { csmsEndpointsView } from './csms-endpoints.js';
import type { SutLink } from './sut-link.js';

/** Just what the view reads of a link: the endpoint the station is on. */
const linkAt = (endpoint: { url: string; path: string } | undefined) => ({ endpoint }) as unknown as SutLink;

describe('csms.* template values', () => {
  it('name the new-root endpoint on the host the station reached, over wss, when the run serves TLS', () => {
    const view = csmsEndpointsView(linkAt({ url: 'wss://csms.lab.example:9000/ocpp-harness-1', path: '/ocpp-harness-1' }), { newRoot: 9001 });
    expect({ ...view }).toEqual({
      url: 'wss://csms.lab.example:9000/ocpp-harness-1', path: '/ocpp-harness-1',
      otherUrl: 'wss://csms.lab.example:9000/ocpp-harness-2', otherPath: '/ocpp-harness-2',
      newRootUrl: 'wss://csms.lab.example:9001/ocpp-harness-new-root', newRootPath: '/ocpp-harness-new-root',
    });
    const plain = csmsEndpointsView(linkAt({ url: 'ws://[::1]:9000', path: '' }), { newRoot: 40123 });
    expect(plain['newRootUrl']).toBe('wss://[::1]:40123/ocpp-harness-new-root');
  });

  it('leave the new-root endpoint undefined without TLS, and everything while no station is connected', () => {
    expect(csmsEndpointsView(linkAt({ url: 'ws://127.0.0.1:9000', path: '' }))['newRootUrl']).toBeUndefined();
    expect(csmsEndpointsView(linkAt(undefined), { newRoot: 9001 })['url']).toBeUndefined();
  });

  it('name the upgrade endpoint over wss at its own port, from a plain station as from a TLS one (A05)', () => {
    const plain = csmsEndpointsView(linkAt({ url: 'ws://127.0.0.1:9000/ocpp-harness-1', path: '/ocpp-harness-1' }), { upgrade: 40500 });
    expect([plain['upgradeUrl'], plain['upgradePath'], plain['newRootUrl']]).toEqual(['wss://127.0.0.1:40500/ocpp-harness-upgrade', '/ocpp-harness-upgrade', undefined]);
    const tls = csmsEndpointsView(linkAt({ url: 'wss://csms.lab.example:9000/ocpp-harness-2', path: '/ocpp-harness-2' }), { newRoot: 9001, upgrade: 40501 });
    expect(tls['upgradeUrl']).toBe('wss://csms.lab.example:40501/ocpp-harness-upgrade');
    expect(csmsEndpointsView(linkAt({ url: 'ws://127.0.0.1:9000', path: '' }))['upgradeUrl']).toBeUndefined();
  });
});
