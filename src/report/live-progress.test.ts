import { describe, expect, it } from 'vitest';
import { createLiveProgress, progressLine } from './live-progress.js';

describe('the live progress line', () => {
  it('names the case, its step, what it waits for, the time left, the tally and an estimate of the end', () => {
    const line = progressLine({
      total: 4, done: 2, tally: new Map([['pass', 1], ['fail', 1]]), elapsedMs: 20_000, now: 50_000,
      running: [{ caseId: 'TC_B_02_CS', step: { index: '4', title: 'expect BootNotificationRequest', startedAt: 40_000, timeoutMs: 60_000 } }, { caseId: 'TC_B_03_CS' }],
    });
    expect(line).toBe('[2/4] TC_B_02_CS step 4 expect BootNotificationRequest, 50 s left (+1 running) | 1 pass, 1 fail | about 20s to go');
  });

  it('rewrites one line in place and prints other text above it, cut to the terminal width', () => {
    let written = '';
    let clock = 1_000;
    const live = createLiveProgress({ write: (text: string) => (written += text), columns: 30 }, () => clock);
    live.onRunBegin({ sut: 'cs', target: 'ws://x', stationIds: ['CS001'], cases: 1 });
    live.onStepBegin({ caseId: 'TC_B_01_CS', stationId: 'CS001', index: '2', title: 'expect StatusNotificationRequest', timeoutMs: 30_000 });
    clock += 1_000;
    live.print('PASS TC_B_01_CS\n');
    live.stop();
    expect(written).toBe([
      '\r\x1b[K[0/1]',
      '\r\x1b[K[0/1] TC_B_01_CS step 2 expec',
      '\r\x1b[K', 'PASS TC_B_01_CS\n', '\r\x1b[K[0/1] TC_B_01_CS step 2 expec',
      '\r\x1b[K',
    ].join(''));
  });
});
