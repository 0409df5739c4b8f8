/**
 * Safe load against the stand-ins: the rollback job really runs on the
 * "host" (here: this machine, reached directly or through the ssh stand-in)
 * after every process the test started has exited, and restores the saved
 * previous ruleset unless confirmed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { Invocation, PfctlTarget, loadRules } from '../../src/pfctl/argv';
import { run, succeeded } from '../../src/pfctl/run';
import { classifyConfirm, confirmSafeLoad, parseArmToken, planSafeLoad, rollbackSafeLoadNow, startSafeLoad } from '../../src/pfctl/safeLoad';
import { Fake, makeFake, sleep, waitFor } from './fakes';

const OLD = 'set skip on lo\npass all # the previous, known-good ruleset\n';
const NEW = 'set skip on lo\nblock all # oops, locks everybody out\n';
const BAD = 'block all syntaxerror\n';

let fake: Fake;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-safeload-test-'));
const tokens: string[] = [];
beforeEach(() => {
  fake = makeFake();
});
afterEach(() => fake.cleanup());
after(async () => {
  // Let any armed job finish before removing what it uses.
  await sleep(200);
  for (const t of tokens) fs.rmSync(t, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

const exec = (inv: Invocation) => run(inv, { env: fake.env, timeoutMs: 20_000 });
const loaded = () => fake.pfState().rulesets[''].source;

/** Put the "previous" ruleset in place the ordinary way and return its file. */
async function setup(target: PfctlTarget, dirName = 'etc'): Promise<{ rollbackFile: string; newFile: string }> {
  const dir = path.join(scratch, `${dirName}-${Math.random().toString(36).slice(2)}`);
  fs.mkdirSync(dir, { recursive: true });
  const rollbackFile = path.join(dir, 'pf.conf');
  const newFile = path.join(dir, 'new pf.conf');
  fs.writeFileSync(rollbackFile, OLD);
  fs.writeFileSync(newFile, NEW);
  const r = await exec(loadRules({ ...target, remoteHost: undefined }, { path: rollbackFile }));
  assert.ok(succeeded(r), r.stderr);
  assert.equal(loaded(), OLD);
  return { rollbackFile, newFile };
}

for (const mode of ['local', 'ssh+sudo'] as const) {
  describe(`safe load (${mode})`, () => {
    const target = () => fake.target(mode === 'local' ? {} : { remoteHost: 'fw.example', privilege: 'sudo' });

    it('rolls back by itself when nobody confirms', async () => {
      const t = target();
      // A rollback source path with spaces and quotes, through ssh too.
      const { rollbackFile, newFile } = await setup(t, `it's "etc" dir`);
      const plan = planSafeLoad(t, { source: { path: newFile, content: NEW }, seconds: 1, rollbackFile });
      const out = await startSafeLoad(plan, exec);
      assert.equal(out.status, 'armed', JSON.stringify(out));
      if (out.status !== 'armed') return;
      tokens.push(out.token);
      assert.equal(loaded(), NEW, 'the new rules are active');
      // Every process we started has exited: the editor is "gone".  The
      // detached job on the host must restore the old rules on its own.
      const restored = await waitFor(() => loaded() === OLD, 6000);
      assert.ok(restored, 'the previous ruleset was restored');
      assert.ok(fs.existsSync(path.join(out.token, 'rolledback')));
      // The job logs pfctl's exit status just after pfctl returns: wait for that line (no race).
      const log = path.join(out.token, 'rollback.log');
      assert.ok(await waitFor(() => /exit 0/.test(fs.readFileSync(log, 'utf8')), 6000), fs.readFileSync(log, 'utf8'));
      // A confirmation that comes too late says so.
      const late = await confirmSafeLoad(plan, out.token, exec);
      assert.equal(late.outcome, 'too-late');
      const calls = fake.argvLog().filter((e) => e.tool === 'pfctl').map((e) => e.argv);
      assert.deepEqual(calls.slice(1), [
        mode === 'local' ? ['-n', '-f', newFile] : ['-n', '-f', '-'], // check
        ['-nf', path.join(out.token, 'previous.conf')], // the saved copy parses
        mode === 'local' ? ['-f', newFile] : ['-f', '-'], // load
        ['-f', path.join(out.token, 'previous.conf')], // rollback
      ]);
    });

    it('keeps the new rules when confirmed in time', async () => {
      const t = target();
      const { rollbackFile, newFile } = await setup(t);
      const plan = planSafeLoad(t, { source: { path: newFile, content: NEW }, seconds: 2, rollbackFile });
      const out = await startSafeLoad(plan, exec);
      assert.equal(out.status, 'armed');
      if (out.status !== 'armed') return;
      tokens.push(out.token);
      const c = await confirmSafeLoad(plan, out.token, exec);
      assert.equal(c.outcome, 'confirmed', c.result.stderr);
      await sleep(3000);
      assert.equal(loaded(), NEW, 'still the new rules after the deadline');
      assert.equal(fs.existsSync(out.token), false, 'the job cleaned up after the confirmation');
      const again = await confirmSafeLoad(plan, out.token, exec);
      assert.equal(again.outcome, 'nothing-pending');
    });

    it('rolls back at once on request', async () => {
      const t = target();
      const { rollbackFile, newFile } = await setup(t);
      const plan = planSafeLoad(t, { source: { path: newFile, content: NEW }, seconds: 30, rollbackFile });
      const out = await startSafeLoad(plan, exec);
      assert.equal(out.status, 'armed');
      if (out.status !== 'armed') return;
      tokens.push(out.token);
      const r = await rollbackSafeLoadNow(plan, out.token, exec);
      assert.ok(r.ok, r.result.stderr);
      assert.equal(loaded(), OLD);
      assert.equal((await confirmSafeLoad(plan, out.token, exec)).outcome, 'too-late');
    });

    it('does not arm or load when the check fails', async () => {
      const t = target();
      const { rollbackFile } = await setup(t);
      const badFile = path.join(path.dirname(rollbackFile), 'bad.conf');
      fs.writeFileSync(badFile, BAD);
      const plan = planSafeLoad(t, { source: { path: badFile, content: BAD }, seconds: 1, rollbackFile });
      const out = await startSafeLoad(plan, exec);
      assert.equal(out.status, 'check-failed');
      if (out.status === 'check-failed') assert.equal(out.errors.messages[0].line, 1);
      const calls = fake.argvLog().filter((e) => e.tool === 'pfctl').map((e) => e.argv);
      assert.equal(calls.length, 2, 'setup load + check only');
      assert.equal(loaded(), OLD);
    });

    it('refuses to load when the rollback source does not parse', async () => {
      const t = target();
      const { rollbackFile, newFile } = await setup(t);
      fs.writeFileSync(rollbackFile, BAD);
      const plan = planSafeLoad(t, { source: { path: newFile, content: NEW }, seconds: 1, rollbackFile });
      const out = await startSafeLoad(plan, exec);
      assert.equal(out.status, 'arm-failed');
      if (out.status === 'arm-failed') assert.match(out.result.stderr, /rollback source .* does not parse/);
      assert.equal(loaded(), OLD);
    });
  });
}

describe('safe load planning', () => {
  const local: PfctlTarget = { pfctlPath: '/sbin/pfctl', privilege: 'none', sshPath: 'ssh' };

  it('refuses to safe-load the rollback file itself', () => {
    assert.throws(() => planSafeLoad(local, { source: { path: '/etc//pf.conf' }, seconds: 60, rollbackFile: '/etc/pf.conf' }), /rollback source/);
    // Remote runs stream the editor text; the host file is a different thing.
    assert.doesNotThrow(() =>
      planSafeLoad({ ...local, remoteHost: 'fw' }, { source: { path: '/etc/pf.conf', content: 'pass all\n' }, seconds: 60, rollbackFile: '/etc/pf.conf' }),
    );
  });

  it('parses the arm token and classifies confirmation results', () => {
    assert.equal(parseArmToken('nohup: ignoring input\n/tmp/pf-safeload.Ab12Cd34Ef\n'), '/tmp/pf-safeload.Ab12Cd34Ef');
    assert.equal(parseArmToken('/etc/passwd\n'), undefined);
    assert.equal(parseArmToken(''), undefined);
    const base = { signal: null, stderr: '', cancelled: false, timedOut: false };
    assert.equal(classifyConfirm({ ...base, code: 0, stdout: 'confirmed\n' }), 'confirmed');
    assert.equal(classifyConfirm({ ...base, code: 4, stdout: '' }), 'too-late');
    assert.equal(classifyConfirm({ ...base, code: 5, stdout: '' }), 'nothing-pending');
    assert.equal(classifyConfirm({ ...base, code: 255, stdout: '' }), 'failed');
  });

  it('disarms when pfctl refuses the load', async () => {
    const calls: string[] = [];
    const fakeRun = async (inv: Invocation) => {
      const script = inv.args[1] ?? '';
      const kind = inv.file === '/bin/sh' ? (script.includes('mktemp') ? 'arm' : 'confirm') : inv.args.includes('-n') ? 'check' : 'load';
      calls.push(kind);
      const ok = { code: 0, signal: null, stderr: '', stdout: '', cancelled: false, timedOut: false };
      if (kind === 'arm') return { ...ok, stdout: '/tmp/pf-safeload.Zz9Yy8Xx7W\n' };
      if (kind === 'load') return { ...ok, code: 1, stderr: 'pfctl: DIOCXCOMMIT: Device busy\n' };
      if (kind === 'confirm') return { ...ok, stdout: 'confirmed\n' };
      return ok;
    };
    const plan = planSafeLoad(local, { source: { path: '/tmp/x.conf' }, seconds: 10, rollbackFile: '/etc/pf.conf' });
    const out = await startSafeLoad(plan, fakeRun);
    assert.equal(out.status, 'load-failed');
    if (out.status === 'load-failed') assert.equal(out.disarmed, true);
    assert.deepEqual(calls, ['check', 'arm', 'load', 'confirm']);
  });

  it('keeps the rollback armed when the connection is lost during the load', async () => {
    const calls: string[] = [];
    const fakeRun = async (inv: Invocation) => {
      const cmd = inv.args[4] ?? '';
      const kind = cmd.includes('mktemp') ? 'arm' : cmd.includes("'-n'") ? 'check' : cmd.includes('mv --') ? 'confirm' : 'load';
      calls.push(kind);
      const ok = { code: 0, signal: null, stderr: '', stdout: '', cancelled: false, timedOut: false };
      if (kind === 'arm') return { ...ok, stdout: '/tmp/pf-safeload.Zz9Yy8Xx7W\n' };
      if (kind === 'load') return { ...ok, code: 255, stderr: 'Connection reset by peer\n' };
      return ok;
    };
    const plan = planSafeLoad({ ...local, remoteHost: 'fw' }, { source: { content: NEW }, seconds: 10, rollbackFile: '/etc/pf.conf' });
    const out = await startSafeLoad(plan, fakeRun);
    assert.equal(out.status, 'load-failed');
    if (out.status === 'load-failed') assert.equal(out.disarmed, false);
    assert.deepEqual(calls, ['check', 'arm', 'load']);
  });
});
