import { describe, expect, it } from 'vitest';
import { ExchangeTracker } from './exchanges.js';

/** A promise the test settles when it wants. */
function deferred(): { promise: Promise<string>; resolve: (value: string) => void } {
  let resolve!: (value: string) => void;
  const promise = new Promise<string>((done) => (resolve = done));
  return { promise, resolve };
}

describe('ExchangeTracker', () => {
  it('waits for the work an action started and for what that work started in turn', async () => {
    const tracker = new ExchangeTracker();
    const first = deferred();
    const second = deferred();
    const log: string[] = [];
    const running = tracker.run(() => {
      // Like Authorize, whose answer makes the station send a TransactionEvent.
      void tracker.track('first', first.promise).then(() => tracker.track('second', second.promise)).then(() => log.push('second answered'));
      return 'started';
    }, 5000);
    let settled = false;
    void running.then(() => (settled = true));
    first.resolve('ok');
    await first.promise;
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    second.resolve('ok');
    expect(await running).toEqual({ settled: true, value: 'started' });
    expect(log).toEqual(['second answered']);
  });

  it('does not follow work started outside an action, and names the work still open at the timeout', async () => {
    const tracker = new ExchangeTracker();
    const outside = deferred();
    tracker.track('outside', outside.promise);
    expect(await tracker.run(() => 'nothing to wait for', 5000)).toEqual({ settled: true, value: 'nothing to wait for' });
    const never = deferred();
    expect(await tracker.run(() => void tracker.track('the answer to Authorize', never.promise), 50)).toEqual({ settled: false, pending: ['the answer to Authorize'] });
    // Work of a finished exchange no longer counts: its late registrations are ignored.
    outside.resolve('late');
    never.resolve('late');
  });

  it('a held piece of work counts until released', async () => {
    const tracker = new ExchangeTracker();
    let release!: () => void;
    const running = tracker.run(() => void (release = tracker.hold('a reconnect')), 5000);
    let settled = false;
    void running.then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    release();
    release();
    expect(await running).toEqual({ settled: true, value: undefined });
  });
});
