// The fuzzer in the normal test suite: a fixed seed, a bounded number of cases (and a time budget),
// every 10th case also through the live server. A failure prints the case and how to reproduce it:
//   npm run fuzz -- --seed <seed> --case <index>
// Longer runs with fresh seeds: npm run fuzz -- --minutes 10
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  DEFAULT_SEED, MUTATORS, applyLspEdit, caseRng, describeFailure, loadSeeds, makeMutant, mutate, prng, type RunSummary,
} from './fuzz';

/** Cases through the core; every SERVER_EVERY-th also through the server (about 30). */
const CASES = 300;
const SERVER_EVERY = 10;
/** Stop starting new cases after this long, so a slow machine still finishes in a few minutes. */
const BUDGET_MS = 90_000;
/** A case that hangs: the child is killed after this long. */
const KILL_AFTER_MS = BUDGET_MS + 90_000;

describe('the mutation engine', () => {
  test('is deterministic: the same seed and case give the same mutant', () => {
    const seeds = loadSeeds();
    assert.ok(seeds.length >= 4, 'the fixtures are there even without the corpus');
    for (const i of [0, 1, 17, 250]) {
      const a = makeMutant(seeds, DEFAULT_SEED, i);
      const b = makeMutant(seeds, DEFAULT_SEED, i);
      assert.equal(a.text, b.text);
      assert.deepEqual(a.ops, b.ops);
      assert.equal(a.source, b.source);
    }
    assert.notEqual(makeMutant(seeds, DEFAULT_SEED, 1).text, makeMutant(seeds, DEFAULT_SEED + 1, 1).text);
  });

  test('every mutator returns a string and changes something on a real ruleset', () => {
    const text = 'ext_if = "em0"\ntable <t> { 1.2.3.4 }\npass in on $ext_if from <t> to any port 22\nanchor a {\n  pass\n}\n';
    for (const [name, mutator] of Object.entries(MUTATORS)) {
      let changed = false;
      for (let s = 0; s < 20 && !changed; s++) {
        const out = mutator(text, prng(s));
        assert.equal(typeof out, 'string', name);
        changed = out !== text;
      }
      assert.ok(changed, `${name} never changed the text`);
    }
  });

  test('case generators are independent of each other', () => {
    assert.notEqual(caseRng(1, 0).next(), caseRng(1, 1).next());
    assert.equal(caseRng(5, 9).next(), caseRng(5, 9).next());
    const { ops } = mutate('pass\n', prng(3), 5);
    assert.equal(ops.length, 5);
  });

  test('edits are applied with the editor\'s idea of lines (\\n, \\r\\n and \\r)', () => {
    assert.equal(applyLspEdit('a\rb\r\nc\nd', { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } }, 'X'), 'a\rb\r\nX\nd');
    assert.equal(applyLspEdit('ab', { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, '!'), 'ab!');
  });
});

/** The test runner marks its children with NODE_TEST_CONTEXT, which fuzz.js reads as "not the CLI". */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

describe('fuzzing (fixed seed)', () => {
  // In a child process: a case that hangs in synchronous code cannot be interrupted in-process,
  // but a child can be killed, and the last case it started names the culprit.
  test(`${CASES} mutants through the core, every ${SERVER_EVERY}th through the live server`, { timeout: KILL_AFTER_MS + 30_000 }, async (t) => {
    const child = spawn(process.execPath, [join(__dirname, 'fuzz.js'), '--json', '--seed', String(DEFAULT_SEED), '--cases', String(CASES),
      '--server-every', String(SERVER_EVERY), '--minutes', String(BUDGET_MS / 60_000), '--save', join(tmpdir(), 'pf-fuzz-test-failures')],
    { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    clearTimeout(killer);
    const started = stderr.match(/^start case .*$/gm) ?? [];
    const culprit = `the case running then: ${started[started.length - 1] ?? '(none)'}\n` +
      `reproduce: npm run fuzz -- --seed ${DEFAULT_SEED} --case <index>`;
    if (signal) assert.fail(`the fuzzer was killed (${signal}) after ${KILL_AFTER_MS / 1000} s; ${culprit}`);
    const line = stdout.trim().split('\n').pop() ?? '';
    assert.ok(line.startsWith('{'), `the fuzzer died (exit ${code}); ${culprit}\n` +
      `${stderr.split('\n').filter((l) => !/^start case|^\s*\d+: 0x/.test(l)).join('\n').slice(-3000)}`);
    const summary = JSON.parse(line) as RunSummary;
    t.diagnostic(`${summary.cases} cases (${summary.serverCases} through the server) in ${(summary.durationMs / 1000).toFixed(1)} s; ` +
      `slowest step: case ${summary.slowest.index} ${summary.slowest.step} ${summary.slowest.ms.toFixed(0)} ms`);
    t.diagnostic(`mutations used: ${Object.entries(summary.ops).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    // Report every failing case, grouped so one bug does not hide another.
    const seen = new Map<string, string>();
    for (const f of summary.failures) {
      const key = `${f.where}: ${f.message.split('\n')[0].replace(/\d+ ms/, 'N ms')}`;
      if (!seen.has(key)) seen.set(key, describeFailure(f));
    }
    assert.equal(seen.size, 0, `${summary.failures.length} failure(s), ${seen.size} distinct:\n\n${[...seen.values()].join('\n\n')}`);
    assert.ok(summary.cases >= 50, `only ${summary.cases} cases ran within the budget`);
    assert.ok(summary.serverCases >= 5, `only ${summary.serverCases} cases went through the server`);
    for (const name of ['byteFlip', 'deleteToken', 'duplicateToken', 'braces', 'quote', 'unicode', 'lineEndings']) {
      assert.ok(summary.ops[name] > 0, `the run never used the ${name} mutation`);
    }
  });
});
