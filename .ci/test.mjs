// `npm test`: the build, the unit tests and the self-check. Every part runs even when an earlier
// one failed (only a failed build stops the rest, which need its output), and one plain line at
// the end sums them: "npm test: N passed, M failed (...)". The exit code is 0 only when all pass.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const VITEST_JSON = 'reports/vitest-results.json';

/** Runs a command with its output kept, and shown as it comes unless `quiet` (then the caller prints it). */
function run(command, args, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      if (!quiet) process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const parts = [];
const failedSelfChecks = [];
const build = await run('npx', ['tsc', '-p', 'tsconfig.json']);
if (build.code !== 0) {
  parts.push({ name: 'build', passed: 0, failed: 1 });
} else {
  mkdirSync('reports', { recursive: true });
  // A test's timeout guards against a hang, not a speed claim (those live in bench/): 20 s per test
  // unless it says more, so a busy 2-core CI host does not turn slow into failed. Two files at a
  // time even on 2 cores: most tests wait on sockets and timers, not on the CPU (vitest would
  // otherwise run one at a time there, cores - 1).
  const unit = await run('npx', ['vitest', 'run', '--config', '.ci/vitest.config.mjs', '--dir', 'src', '--testTimeout=20000', '--maxWorkers=2', '--reporter=default', '--reporter=json', `--outputFile=${VITEST_JSON}`]);
  parts.push({ name: 'unit tests', ...unitCounts(unit.code) });
  // The self-check is CPU-bound (the references answer at once) and runs after the unit tests, so
  // two processes, one per half of the versions, keep both cores busy. The second is printed whole
  // when it ends, so the log reads in blocks.
  const halves = [['--ocpp', '2.0.1'], ['--ocpp', '1.6', '--ocpp', '2.1']];
  const checks = await Promise.all(halves.map((versions, index) => run('node', ['dist/src/cli/main.js', 'selfcheck', ...versions, '--out', `reports/selfcheck-${index + 1}`], { quiet: index > 0 })));
  for (const check of checks.slice(1)) process.stdout.write(check.output);
  const counts = checks.map((check) => /self-check: (\d+) passed, (\d+) failed/.exec(check.output));
  failedSelfChecks.push(...checks.flatMap((check) => check.output.split('\n').filter((line) => line.startsWith('FAIL  '))));
  parts.push({ name: 'self-check cases', passed: counts.reduce((sum, counted) => sum + Number(counted?.[1] ?? 0), 0), failed: counts.reduce((sum, counted) => sum + (counted ? Number(counted[2]) : 1), 0) });
}

function unitCounts(code) {
  try {
    const results = JSON.parse(readFileSync(VITEST_JSON, 'utf8'));
    // A file that fails to load counts as a failure even though none of its tests ran.
    const broken = results.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
    return { passed: results.numPassedTests, failed: results.numFailedTests + broken + (code !== 0 && results.numFailedTests + broken === 0 ? 1 : 0) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

// CI keeps only the end of the log, so the failed tests are named again just before the sum.
for (const line of failedUnitTests()) process.stdout.write(`FAILED ${line}\n`);
for (const line of failedSelfChecks) process.stdout.write(`FAILED self-check ${line.slice(6)}\n`);

function failedUnitTests() {
  try {
    const results = JSON.parse(readFileSync(VITEST_JSON, 'utf8'));
    return results.testResults.flatMap((file) => {
      const path = relative(process.cwd(), file.name);
      const failedTests = file.assertionResults.filter((test) => test.status === 'failed');
      if (failedTests.length === 0) return file.status === 'failed' ? [`${path}: ${firstLine(file.message)}`] : [];
      return failedTests.map((test) => `${path} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    });
  } catch {
    return [];
  }
}

function firstLine(text) {
  return String(text ?? '').split('\n')[0].slice(0, 300);
}

const passed = parts.reduce((sum, part) => sum + part.passed, 0);
const failed = parts.reduce((sum, part) => sum + part.failed, 0);
process.stdout.write(`\nnpm test: ${passed} passed, ${failed} failed (${parts.map((part) => `${part.name} ${part.passed}/${part.passed + part.failed}`).join(', ')})\n`);
process.exitCode = failed === 0 ? 0 : 1;
