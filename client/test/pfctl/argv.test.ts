import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import {
  ArgvError,
  PfctlTarget,
  addToTable,
  buildInvocation,
  checkRules,
  deleteFromTable,
  disablePf,
  enablePf,
  flushTable,
  listTables,
  loadRules,
  remoteCommandString,
  safeLoadArm,
  safeLoadConfirm,
  safeLoadRollbackNow,
  shQuote,
  show,
  showTable,
  spamdbList,
  spamdbWhitelistAdd,
  spamdbWhitelistDelete,
  testTable,
  validateAddress,
  validateAnchorName,
  validateHost,
  validateIp,
  validateTableName,
  SAFE_LOAD_ARM_SCRIPT,
  SAFE_LOAD_CONFIRM_SCRIPT,
  SAFE_LOAD_ROLLBACK_SCRIPT,
} from '../../src/pfctl/argv';

const local: PfctlTarget = { pfctlPath: '/sbin/pfctl', privilege: 'none', sshPath: 'ssh' };
const remote: PfctlTarget = { ...local, remoteHost: 'fw.example.org' };

/** Let a real POSIX shell parse `words` and print back each argument NUL-terminated. */
function shellRoundTrip(shell: string, words: string[]): string[] {
  const script = `printf '%s\\0' ${words.map(shQuote).join(' ')}`;
  const out = execFileSync(shell, ['-c', script]);
  const parts = out.toString('utf8').split('\0');
  parts.pop();
  return parts;
}

const NASTY = [
  '',
  "'",
  "''",
  "it's",
  '"double"',
  '\\',
  "\\'",
  '$HOME',
  '${IFS}',
  '`id`',
  '$(touch /tmp/never)',
  'a;b',
  'a|b&c',
  '!x',
  '*',
  '~',
  '#comment',
  '-n',
  '--',
  'tab\there',
  'new\nline',
  'x;touch /tmp/pwned',
  'ünïcödé €',
  ' leading and trailing ',
];

describe('shQuote', () => {
  it('wraps in single quotes and escapes embedded quotes as \'\\\'\'', () => {
    assert.equal(shQuote('abc'), "'abc'");
    assert.equal(shQuote(''), "''");
    assert.equal(shQuote("it's"), "'it'\\''s'");
  });

  for (const shell of ['/bin/sh', '/bin/bash', '/bin/dash'].filter((s) => fs.existsSync(s))) {
    it(`round-trips hostile strings byte-exact through ${shell}`, () => {
      assert.deepEqual(shellRoundTrip(shell, NASTY), NASTY);
    });
  }

  it('refuses NUL bytes', () => {
    assert.throws(() => shQuote('a\0b'), ArgvError);
  });

  it('remoteCommandString quotes every word', () => {
    assert.equal(remoteCommandString(['pfctl', '-t', 'a b', '-T', 'show']), "'pfctl' '-t' 'a b' '-T' 'show'");
  });
});

describe('local argv', () => {
  it('check passes the path as one argv element', () => {
    const inv = checkRules(local, { path: '/etc/my rules/pf.conf' });
    assert.equal(inv.file, '/sbin/pfctl');
    assert.deepEqual(inv.args, ['-n', '-f', '/etc/my rules/pf.conf']);
    assert.equal(inv.stdin, undefined);
    assert.equal(inv.remote, false);
    assert.equal(inv.hostLabel, 'this machine');
    assert.equal(inv.display, "/sbin/pfctl -n -f '/etc/my rules/pf.conf'");
  });

  it('check -vv', () => {
    assert.deepEqual(checkRules(local, { path: '/etc/pf.conf' }, { verbose: true }).args, ['-vv', '-n', '-f', '/etc/pf.conf']);
  });

  it('untitled text goes on stdin as -f -', () => {
    const inv = checkRules(local, { content: 'pass all\n' });
    assert.deepEqual(inv.args, ['-n', '-f', '-']);
    assert.equal(inv.stdin, 'pass all\n');
  });

  it('a file literally named "-" is not confused with stdin', () => {
    assert.deepEqual(loadRules(local, { path: '-' }).args, ['-f', './-']);
  });

  it('load variants', () => {
    const src = { path: '/etc/pf.conf' };
    assert.deepEqual(loadRules(local, src).args, ['-f', '/etc/pf.conf']);
    assert.deepEqual(loadRules(local, src, { scope: 'nat' }).args, ['-N', '-f', '/etc/pf.conf']);
    assert.deepEqual(loadRules(local, src, { scope: 'filter' }).args, ['-R', '-f', '/etc/pf.conf']);
    assert.deepEqual(loadRules(local, src, { scope: 'options' }).args, ['-O', '-f', '/etc/pf.conf']);
    assert.deepEqual(loadRules(local, src, { anchor: 'authpf/smith(1234)' }).args, ['-a', 'authpf/smith(1234)', '-f', '/etc/pf.conf']);
    assert.deepEqual(checkRules(local, src, { anchor: 'spam' }).args, ['-n', '-a', 'spam', '-f', '/etc/pf.conf']);
  });

  it('table operations', () => {
    assert.deepEqual(showTable(local, 'bruteforce').args, ['-t', 'bruteforce', '-T', 'show']);
    assert.deepEqual(addToTable(local, 'bad', ['192.0.2.1', '2001:db8::/32']).args, ['-t', 'bad', '-T', 'add', '192.0.2.1', '2001:db8::/32']);
    assert.deepEqual(deleteFromTable(local, 'bad', ['192.0.2.1']).args, ['-t', 'bad', '-T', 'delete', '192.0.2.1']);
    assert.deepEqual(testTable(local, 'bad', ['10.0.0.1']).args, ['-t', 'bad', '-T', 'test', '10.0.0.1']);
    assert.deepEqual(flushTable(local, 'bad').args, ['-t', 'bad', '-T', 'flush']);
    assert.deepEqual(listTables(local).args, ['-s', 'Tables']);
    assert.deepEqual(showTable(local, 'x', 'foo/bar').args, ['-a', 'foo/bar', '-t', 'x', '-T', 'show']);
  });

  it('show sections, enable, disable', () => {
    assert.deepEqual(show(local, 'rules').args, ['-s', 'rules']);
    assert.deepEqual(show(local, 'nat').args, ['-s', 'nat']);
    assert.deepEqual(show(local, 'states').args, ['-s', 'states']);
    assert.deepEqual(show(local, 'info').args, ['-s', 'info']);
    assert.deepEqual(show(local, 'labels').args, ['-s', 'labels']);
    assert.deepEqual(show(local, 'memory').args, ['-s', 'memory']);
    assert.deepEqual(show(local, 'timeouts').args, ['-s', 'timeouts']);
    assert.deepEqual(enablePf(local).args, ['-e']);
    assert.deepEqual(disablePf(local).args, ['-d']);
    assert.throws(() => show(local, 'rules; reboot' as never), ArgvError);
  });

  it('spamdb', () => {
    assert.equal(spamdbList(local).file, '/usr/sbin/spamdb');
    assert.deepEqual(spamdbList(local).args, []);
    assert.deepEqual(spamdbWhitelistAdd(local, '192.0.2.7').args, ['-a', '192.0.2.7']);
    assert.deepEqual(spamdbWhitelistDelete(local, '2001:db8::7').args, ['-d', '2001:db8::7']);
    assert.throws(() => spamdbWhitelistAdd(local, '192.0.2.0/24'), ArgvError);
    assert.throws(() => spamdbWhitelistAdd(local, '-d'), ArgvError);
  });

  it('sudo and doas come first, non-interactive, with --', () => {
    const s = showTable({ ...local, privilege: 'sudo' }, 't');
    assert.equal(s.file, 'sudo');
    assert.deepEqual(s.args, ['-n', '--', '/sbin/pfctl', '-t', 't', '-T', 'show']);
    const d = enablePf({ ...local, privilege: 'doas' });
    assert.equal(d.file, 'doas');
    assert.deepEqual(d.args, ['-n', '--', '/sbin/pfctl', '-e']);
    assert.throws(() => enablePf({ ...local, privilege: 'su' as never }), ArgvError);
  });
});

describe('remote argv', () => {
  it('runs ssh with BatchMode, -- before the host and one quoted command string', () => {
    const inv = showTable({ ...remote, privilege: 'doas' }, 'bad');
    assert.equal(inv.file, 'ssh');
    assert.deepEqual(inv.args, ['-o', 'BatchMode=yes', '--', 'fw.example.org', "'doas' '-n' '--' '/sbin/pfctl' '-t' 'bad' '-T' 'show'"]);
    assert.equal(inv.remote, true);
    assert.equal(inv.hostLabel, 'fw.example.org');
  });

  it('streams the rules on stdin (pfctl -nf -) instead of copying files', () => {
    const inv = checkRules(remote, { path: '/home/me/pf.conf', content: 'pass all\n' });
    assert.equal(inv.stdin, 'pass all\n');
    assert.equal(inv.args[4], "'/sbin/pfctl' '-n' '-f' '-'");
    assert.ok(!inv.args.join(' ').includes('/home/me'), 'the local path never reaches the host');
    assert.throws(() => checkRules(remote, { path: '/home/me/pf.conf' }), ArgvError);
  });

  it('refuses hosts that look like options', () => {
    assert.throws(() => showTable({ ...remote, remoteHost: '-oProxyCommand=touch /tmp/x' }, 't'), ArgvError);
    assert.throws(() => validateHost('-p22'), ArgvError);
    assert.throws(() => validateHost('a b'), ArgvError);
    assert.equal(validateHost('admin@fw1'), 'admin@fw1');
  });
});

describe('validation', () => {
  it('table names', () => {
    assert.equal(validateTableName('spamd-white'), 'spamd-white');
    assert.equal(validateTableName('a'.repeat(31)), 'a'.repeat(31));
    assert.throws(() => validateTableName('a'.repeat(32)), /31/);
    assert.throws(() => validateTableName(''), ArgvError);
    assert.throws(() => validateTableName('x;touch /tmp/pwned'), /whitespace/);
    assert.throws(() => validateTableName('<bad>'), /< >/);
    assert.throws(() => validateTableName('a\tb'), ArgvError);
  });

  it('anchor names', () => {
    assert.equal(validateAnchorName('authpf/smith(1234)'), 'authpf/smith(1234)');
    assert.equal(validateAnchorName('relayd'), 'relayd');
    for (const bad of ['', '-x', 'a b', 'a//b', '/a', 'a/', 'a/../b', "a'b", 'a;b', 'a*']) {
      assert.throws(() => validateAnchorName(bad), ArgvError, bad);
    }
  });

  it('addresses for -T add/delete/test', () => {
    for (const ok of ['192.0.2.1', '10.0.0.0/8', '0.0.0.0/0', '2001:db8::1', '2001:db8::/32', '::/0', '::1/128']) {
      assert.equal(validateAddress(ok), ok);
    }
    for (const bad of ['', '192.0.2', '192.0.2.256', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/08', 'host.example', '-f', '1.2.3.4;id', 'fe80::1%em0', '1.2.3.4/']) {
      assert.throws(() => validateAddress(bad), ArgvError, bad);
    }
    assert.throws(() => addToTable(local, 'bad', ['1.2.3.4', 'evil; rm -rf /']), ArgvError);
    assert.throws(() => addToTable(local, 'bad', []), ArgvError);
    assert.throws(() => flushTable(local, 'x;touch /tmp/pwned'), ArgvError);
  });

  it('spamdb keys are bare IPs', () => {
    assert.equal(validateIp('192.0.2.1'), '192.0.2.1');
    assert.throws(() => validateIp('192.0.2.1/32'), ArgvError);
  });
});

describe('safe-load scripts', () => {
  it('are fixed one-line constants without ! and take every value positionally', () => {
    for (const script of [SAFE_LOAD_ARM_SCRIPT, SAFE_LOAD_CONFIRM_SCRIPT, SAFE_LOAD_ROLLBACK_SCRIPT]) {
      assert.ok(!script.includes('\n'));
      assert.ok(!script.includes('!'));
    }
    const arm = safeLoadArm(local, { rollbackFile: "/etc/pf conf's.d/pf.conf", seconds: 60 });
    assert.equal(arm.file, '/bin/sh');
    assert.deepEqual(arm.args, ['-c', SAFE_LOAD_ARM_SCRIPT, 'pf-safeload-arm', '/sbin/pfctl', "/etc/pf conf's.d/pf.conf", '60']);
    const armSudo = safeLoadArm({ ...local, privilege: 'sudo' }, { rollbackFile: '/etc/pf.conf', seconds: 5 });
    assert.deepEqual(armSudo.args.slice(0, 4), ['-n', '--', '/bin/sh', '-c']);
    assert.throws(() => safeLoadArm(local, { rollbackFile: '/etc/pf.conf', seconds: 0 }), ArgvError);
    assert.throws(() => safeLoadArm(local, { rollbackFile: '/etc/pf.conf', seconds: 1.5 }), ArgvError);
  });

  it('validate the token before using it', () => {
    assert.deepEqual(safeLoadConfirm(local, '/tmp/pf-safeload.AbC123xyz0').args.slice(2), ['pf-safeload-confirm', '/tmp/pf-safeload.AbC123xyz0']);
    assert.deepEqual(safeLoadRollbackNow(local, '/tmp/pf-safeload.AbC123xyz0').args.slice(2), ['pf-safeload-rollback', '/sbin/pfctl', '/tmp/pf-safeload.AbC123xyz0']);
    for (const bad of ['/tmp/pf-safeload.', '/etc', '/tmp/pf-safeload.abc/../../etc', "/tmp/pf-safeload.x'y"]) {
      assert.throws(() => safeLoadConfirm(local, bad), ArgvError, bad);
    }
  });
});

describe('buildInvocation', () => {
  it('never produces a shell invocation for local commands', () => {
    const inv = buildInvocation(local, ['/sbin/pfctl', '-t', 'x;touch /tmp/pwned', '-T', 'show']);
    assert.equal(inv.file, '/sbin/pfctl');
    assert.deepEqual(inv.args, ['-t', 'x;touch /tmp/pwned', '-T', 'show']);
  });
  it('refuses an empty pfctl path or one that looks like an option', () => {
    assert.throws(() => enablePf({ ...local, pfctlPath: '' }), ArgvError);
    assert.throws(() => enablePf({ ...local, pfctlPath: '-e' }), ArgvError);
  });
});
