/**
 * Integration: real child processes against the stand-ins in test/fake-bin
 * (pfctl, spamdb, ssh, sudo, doas — see their headers), locally, through the
 * ssh stand-in (which hands its command string to /bin/sh like sshd does)
 * and with sudo/doas prefixes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import {
  Invocation,
  addToTable,
  buildInvocation,
  checkRules,
  deleteFromTable,
  disablePf,
  enablePf,
  flushTable,
  listTables,
  loadRules,
  show,
  showTable,
  spamdbList,
  spamdbWhitelistAdd,
  spamdbWhitelistDelete,
  testTable,
} from '../../src/pfctl/argv';
import { parseInfo, parsePfctlErrors, parseSpamdb, parseTableList, parseTableShow } from '../../src/pfctl/parse';
import { run, succeeded } from '../../src/pfctl/run';
import { checkedLoad } from '../../src/pfctl/safeLoad';
import { FAKE_BIN, Fake, makeFake, randomSuffix } from './fakes';

let fake: Fake;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pfctl-it-'));
beforeEach(() => {
  fake = makeFake();
});
afterEach(() => fake.cleanup());
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const exec = (inv: Invocation) => run(inv, { env: fake.env, timeoutMs: 20_000 });
const pfctlCalls = () => fake.argvLog().filter((e) => e.tool === 'pfctl').map((e) => e.argv);

const GOOD = 'ext_if = "em0"\nset skip on lo\ntable <bad> persist { 192.0.2.1, 10.0.0.0/8 }\nblock all\npass out on $ext_if label "out"\n';
const BAD = 'set skip on lo\npass in all\npass out syntaxerror all\nblock in {\n';

function writeRules(name: string, text: string): string {
  const f = path.join(scratch, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
  return f;
}

describe('stand-ins', () => {
  it('are executable and say they are stand-ins', () => {
    for (const tool of ['pfctl', 'spamdb', 'ssh', 'sudo', 'doas']) {
      const f = path.join(FAKE_BIN, tool);
      fs.accessSync(f, fs.constants.X_OK);
      const head = fs.readFileSync(f, 'utf8').slice(0, 600);
      assert.match(head, /^#!\/usr\/bin\/env node/);
      assert.match(head, /STAND-IN/);
    }
  });

  it('the ssh stand-in really gives its command to a shell (control for the quoting tests)', () => {
    const marker = path.join(os.tmpdir(), `pwned-control-${randomSuffix()}`);
    const r = spawnSync(path.join(FAKE_BIN, 'ssh'), ['--', 'fw', `touch ${marker}`], { env: fake.env });
    assert.equal(r.status, 0);
    assert.ok(fs.existsSync(marker), 'an unquoted command string is executed by the far side');
    fs.rmSync(marker);
  });
});

describe('check', () => {
  it('passes a good file and reports errors of a bad one on the right lines (local)', async () => {
    const good = writeRules('good.conf', GOOD);
    const r1 = await exec(checkRules(fake.target(), { path: good }));
    assert.ok(succeeded(r1), r1.stderr);

    const bad = writeRules('bad.conf', BAD);
    const r2 = await exec(checkRules(fake.target(), { path: bad }));
    assert.equal(r2.code, 1);
    const rep = parsePfctlErrors(r2.stderr);
    assert.deepEqual(
      rep.messages.map((m) => [m.file, m.line, m.message]),
      [
        [bad, 3, 'syntax error'],
        [bad, 4, 'syntax error'],
      ],
    );
    assert.equal(rep.notLoaded, true);
    assert.deepEqual(pfctlCalls(), [
      ['-n', '-f', good],
      ['-n', '-f', bad],
    ]);
  });

  it('-vv prints the parsed rules', async () => {
    const good = writeRules('good.conf', GOOD);
    const r = await exec(checkRules(fake.target(), { path: good }, { verbose: true }));
    assert.ok(succeeded(r));
    assert.match(r.stdout, /^@0 set skip on lo$/m);
  });

  it('paths with spaces, quotes and $ survive byte-exact', async () => {
    const f = writeRules(`dir with spaces/it's "quoted" $(x) \`y\`.conf`, BAD);
    const r = await exec(checkRules(fake.target(), { path: f }));
    assert.equal(pfctlCalls()[0][2], f);
    assert.equal(parsePfctlErrors(r.stderr).messages[0].file, f);
  });

  it('streams the text on stdin through ssh; errors name stdin', async () => {
    const r = await exec(checkRules(fake.target({ remoteHost: 'fw.example' }), { path: '/irrelevant/pf.conf', content: BAD }));
    assert.equal(r.code, 1);
    const rep = parsePfctlErrors(r.stderr);
    assert.deepEqual(rep.messages.map((m) => [m.file, m.line]), [
      ['stdin', 3],
      ['stdin', 4],
    ]);
    const log = fake.argvLog();
    assert.deepEqual(log[0], { tool: 'ssh', argv: ['-o', 'BatchMode=yes', '--', 'fw.example', `'${path.join(FAKE_BIN, 'pfctl')}' '-n' '-f' '-'`] });
    assert.deepEqual(log[1], { tool: 'pfctl', argv: ['-n', '-f', '-'] });
  });

  it('reports an unreachable host as ssh exit 255', async () => {
    const r = await exec(checkRules(fake.target({ remoteHost: 'unreachable.invalid' }), { content: GOOD }));
    assert.equal(r.code, 255);
  });
});

describe('privilege prefixes', () => {
  for (const privilege of ['sudo', 'doas'] as const) {
    it(`${privilege} locally`, async () => {
      const r = await exec(show(fake.target({ privilege }), 'memory'));
      assert.ok(succeeded(r), r.stderr);
      assert.match(r.stdout, /^states\s+hard limit\s+\d+$/m);
      const log = fake.argvLog();
      assert.deepEqual(log[0], { tool: privilege, argv: ['-n', '--', path.join(FAKE_BIN, 'pfctl'), '-s', 'memory'] });
      assert.deepEqual(log[1], { tool: 'pfctl', argv: ['-s', 'memory'] });
    });

    it(`${privilege} over ssh, with the rules on stdin`, async () => {
      const target = fake.target({ privilege, remoteHost: 'admin@fw' });
      const r = await exec(loadRules(target, { content: GOOD }));
      assert.ok(succeeded(r), r.stderr);
      assert.deepEqual(
        fake.argvLog().map((e) => e.tool),
        ['ssh', privilege, 'pfctl'],
      );
      assert.equal(fake.pfState().rulesets[''].source, GOOD, 'stdin reached pfctl byte-exact');
    });
  }
});

describe('hostile input never reaches a shell', () => {
  const hostile = (marker: string) => [
    `x;touch /tmp/${path.basename(marker)}`, // the literal from the issue (rejected by validation, so sent raw below)
  ];

  for (const remoteHost of [undefined, 'fw.example']) {
    const where = remoteHost ? 'through ssh' : 'locally';

    it(`validated table names full of shell syntax stay literal (${where})`, async () => {
      const sfx = randomSuffix();
      const marker = `/tmp/pwned-${sfx}`;
      const names = [`x;touch\${IFS}/tmp/pwned-${sfx}`, `$(touch\${IFS}/tmp/pwned-${sfx})`, `\`touch\${IFS}/tmp/pwned-${sfx}\``];
      for (const name of names) {
        assert.ok(Buffer.byteLength(name) <= 31, name);
        const r = await exec(showTable(fake.target({ remoteHost }), name));
        assert.equal(r.code, 1);
        assert.match(r.stderr, /Table does not exist/);
      }
      assert.equal(fs.existsSync(marker), false, `${marker} must not exist`);
      assert.deepEqual(
        pfctlCalls().map((a) => a[1]),
        names,
      );
    });

    it(`the raw name "x;touch /tmp/pwned-…" is passed as one argument (${where})`, async () => {
      const sfx = randomSuffix();
      const marker = `/tmp/pwned-${sfx}`;
      const [name] = hostile(marker);
      // Bypass validation on purpose: prove the transport itself is safe.
      const inv = buildInvocation(fake.target({ remoteHost }), [path.join(FAKE_BIN, 'pfctl'), '-t', name, '-T', 'show']);
      await exec(inv);
      assert.equal(fs.existsSync(marker), false);
      assert.deepEqual(pfctlCalls(), [['-t', name, '-T', 'show']]);
    });
  }

  it('validation rejects the literal name before anything runs', () => {
    assert.throws(() => showTable(fake.target(), 'x;touch /tmp/pwned'));
    assert.deepEqual(fake.argvLog(), []);
  });
});

describe('load', () => {
  it('refuses to load when the check fails: -f is never invoked', async () => {
    const bad = writeRules('bad.conf', BAD);
    let asked = false;
    const out = await checkedLoad(fake.target(), { path: bad }, {}, exec, async () => (asked = true));
    assert.equal(out.status, 'check-failed');
    assert.equal(asked, false, 'no confirmation is asked');
    assert.deepEqual(pfctlCalls(), [['-n', '-f', bad]]);
    assert.throws(() => fake.pfState(), 'nothing was ever loaded');
  });

  it('refuses through ssh as well', async () => {
    const out = await checkedLoad(fake.target({ remoteHost: 'fw' }), { content: BAD }, { scope: 'filter' }, exec, async () => true);
    assert.equal(out.status, 'check-failed');
    assert.deepEqual(pfctlCalls(), [['-n', '-R', '-f', '-']]);
  });

  it('does not load when the user declines', async () => {
    const good = writeRules('good.conf', GOOD);
    const out = await checkedLoad(fake.target(), { path: good }, {}, exec, async () => false);
    assert.equal(out.status, 'declined');
    assert.deepEqual(pfctlCalls(), [['-n', '-f', good]]);
  });

  it('checks, asks naming the host, then loads', async () => {
    const good = writeRules('good.conf', GOOD);
    let hostAsked = '';
    const out = await checkedLoad(fake.target({ remoteHost: 'fw1' }), { content: GOOD }, {}, exec, async (inv) => {
      hostAsked = inv.hostLabel;
      return true;
    });
    assert.equal(out.status, 'loaded');
    assert.equal(hostAsked, 'fw1');
    assert.deepEqual(pfctlCalls(), [
      ['-n', '-f', '-'],
      ['-f', '-'],
    ]);
    const st = fake.pfState();
    assert.equal(st.rulesets[''].source, GOOD);
    assert.ok(good);
  });

  it('-N / -R / -O / -a load only their part', async () => {
    const f = writeRules('mixed.conf', 'set block-policy drop\nnat on em0 from 10.0.0.0/8 to any -> (em0)\npass all\n');
    const t = fake.target();
    assert.ok(succeeded(await exec(loadRules(t, { path: f }, { scope: 'nat' }))));
    let rs = fake.pfState().rulesets[''];
    assert.deepEqual([rs.nat, rs.filter, rs.options], [['nat on em0 from 10.0.0.0/8 to any -> (em0)'], [], []]);
    assert.ok(succeeded(await exec(loadRules(t, { path: f }, { scope: 'filter' }))));
    assert.ok(succeeded(await exec(loadRules(t, { path: f }, { scope: 'options' }))));
    rs = fake.pfState().rulesets[''];
    assert.deepEqual([rs.filter, rs.options], [['pass all'], ['set block-policy drop']]);
    assert.ok(succeeded(await exec(loadRules(t, { path: f }, { anchor: 'authpf/smith(1234)' }))));
    assert.equal(fake.pfState().rulesets['authpf/smith(1234)'].source.length > 0, true);
    assert.deepEqual(pfctlCalls().map((a) => a.slice(0, -2)), [['-N'], ['-R'], ['-O'], ['-a', 'authpf/smith(1234)']]);
  });
});

describe('tables', () => {
  for (const remoteHost of [undefined, 'fw']) {
    it(`add, show, test, delete, flush, list (${remoteHost ? 'ssh' : 'local'})`, async () => {
      const t = fake.target({ remoteHost, privilege: remoteHost ? 'doas' : 'none' });
      let r = await exec(addToTable(t, 'bad', ['192.0.2.1', '10.0.0.0/8', '2001:db8::/32']));
      assert.ok(succeeded(r), r.stderr);
      assert.match(r.stderr, /3\/3 addresses added\./);
      r = await exec(showTable(t, 'bad'));
      assert.deepEqual(parseTableShow(r.stdout).map((e) => e.address), ['192.0.2.1', '10.0.0.0/8', '2001:db8::/32']);
      r = await exec(testTable(t, 'bad', ['10.1.2.3']));
      assert.equal(r.code, 0);
      assert.match(r.stderr, /1\/1 addresses match\./);
      r = await exec(testTable(t, 'bad', ['10.1.2.3', '203.0.113.1']));
      assert.equal(r.code, 2, 'pfctl exits 2 when not every address matches');
      r = await exec(deleteFromTable(t, 'bad', ['192.0.2.1']));
      assert.match(r.stderr, /1\/1 addresses deleted\./);
      r = await exec(listTables(t));
      assert.deepEqual(parseTableList(r.stdout), ['bad']);
      r = await exec(flushTable(t, 'bad'));
      assert.ok(succeeded(r));
      r = await exec(showTable(t, 'bad'));
      assert.deepEqual(parseTableShow(r.stdout), []);
    });
  }
});

describe('show and enable/disable', () => {
  it('shows rules, nat, states, info, labels, memory, timeouts', async () => {
    const t = fake.target();
    const f = writeRules('r.conf', 'nat on em0 from 10.0.0.0/8 to any -> (em0)\npass in on em0 proto tcp to port 22 label "ssh"\n');
    await exec(loadRules(t, { path: f }));
    const get = async (s: Parameters<typeof show>[1]) => {
      const r = await exec(show(t, s));
      assert.ok(succeeded(r), `${s}: ${r.stderr}`);
      return r.stdout;
    };
    assert.equal(await get('rules'), 'pass in on em0 proto tcp to port 22 label "ssh"\n');
    assert.equal(await get('nat'), 'nat on em0 from 10.0.0.0/8 to any -> (em0)\n');
    assert.match(await get('states'), /ESTABLISHED/);
    const info = parseInfo(await get('info'));
    assert.equal(info[0].entries[0].values[0].startsWith('Enabled'), true);
    assert.deepEqual(info.map((s) => s.title), ['Status', 'State Table', 'Counters']);
    assert.equal(await get('labels'), 'ssh 0 0 0 0 0 0 0 0\n');
    assert.match(await get('memory'), /table-entries\s+hard limit/);
    assert.match(await get('timeouts'), /^tcp\.established\s+86400s$/m);
  });

  it('enable and disable with pfctl messages and exit codes', async () => {
    const t = fake.target({ privilege: 'sudo' });
    let r = await exec(disablePf(t));
    assert.ok(succeeded(r));
    assert.equal(r.stderr, 'pf disabled\n');
    r = await exec(disablePf(t));
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'pfctl: pf not enabled\n');
    r = await exec(enablePf(t));
    assert.equal(r.stderr, 'pf enabled\n');
    assert.equal(fake.pfState().enabled, true);
  });
});

describe('spamdb', () => {
  for (const remoteHost of [undefined, 'mail.example']) {
    it(`lists, whitelists and deletes (${remoteHost ? 'ssh' : 'local'})`, async () => {
      fs.writeFileSync(
        path.join(fake.state, 'spamdb.txt'),
        'GREY|198.51.100.4|mx.example.net|<a@example.net>|<b@example.org>|1700000100|1700001600|1700014500|1|0\nTRAPPED|203.0.113.9|1700090000\n',
      );
      const t = fake.target({ remoteHost, privilege: 'sudo' });
      let r = await exec(spamdbWhitelistAdd(t, '192.0.2.10'));
      assert.ok(succeeded(r), r.stderr);
      r = await exec(spamdbList(t));
      const { entries, invalid } = parseSpamdb(r.stdout);
      assert.deepEqual(invalid, []);
      assert.deepEqual(entries.map((e) => e.type), ['GREY', 'TRAPPED', 'WHITE']);
      const white = entries[2];
      assert.ok(white.type === 'WHITE' && Math.abs(white.first.getTime() - Date.now()) < 60_000);
      r = await exec(spamdbWhitelistDelete(t, '192.0.2.10'));
      assert.ok(succeeded(r));
      r = await exec(spamdbWhitelistDelete(t, '192.0.2.10'));
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'spamdb: no entry for 192.0.2.10\n');
      assert.deepEqual(
        fake.argvLog().filter((e) => e.tool === 'spamdb').map((e) => e.argv),
        [['-a', '192.0.2.10'], [], ['-d', '192.0.2.10'], ['-d', '192.0.2.10']],
      );
    });
  }
});

describe('run', () => {
  it('cancels through an AbortSignal', async () => {
    const ac = new AbortController();
    const p = run({ file: '/bin/sleep', args: ['10'] }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    const r = await p;
    assert.equal(r.cancelled, true);
    assert.equal(r.signal, 'SIGTERM');
  });

  it('times out', async () => {
    const r = await run({ file: '/bin/sleep', args: ['10'] }, { timeoutMs: 100 });
    assert.equal(r.timedOut, true);
  });

  it('reports a missing program', async () => {
    const r = await run({ file: path.join(scratch, 'no-such-pfctl'), args: [] });
    assert.equal(r.code, null);
    assert.equal((r.spawnError as NodeJS.ErrnoException).code, 'ENOENT');
  });

  it('passes stdin and collects stdout/stderr/exit code', async () => {
    const r = await run({ file: '/bin/sh', args: ['-c', 'cat; echo err >&2; exit 3'], stdin: 'hello' });
    assert.deepEqual([r.stdout, r.stderr, r.code], ['hello', 'err\n', 3]);
  });
});
