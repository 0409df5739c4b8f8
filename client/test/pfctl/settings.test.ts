import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InspectResult, readPfctlSettings, resolveMachineSetting } from '../../src/pfctl/settings';

const isString = (v: unknown): v is string => typeof v === 'string';

describe('resolveMachineSetting', () => {
  it('ignores workspace and workspace-folder values', () => {
    const r = resolveMachineSetting(
      { key: 'pf.pfctl.path', defaultValue: '/sbin/pfctl', workspaceValue: '/tmp/evil', workspaceFolderValue: '/tmp/evil2' },
      'x',
      isString,
    );
    assert.deepEqual(r, { value: '/sbin/pfctl', source: 'default', ignoredWorkspaceValue: true });
  });

  it('uses the user (global) value over the default', () => {
    const r = resolveMachineSetting({ key: 'k', defaultValue: 'a', globalValue: 'b', workspaceValue: 'c' }, 'x', isString);
    assert.deepEqual(r, { value: 'b', source: 'global', ignoredWorkspaceValue: true });
  });

  it('ignores language-specific workspace values too, and falls back on invalid values', () => {
    const r = resolveMachineSetting({ key: 'k', globalValue: 42, workspaceLanguageValue: 'evil' }, 'builtin', isString);
    assert.deepEqual(r, { value: 'builtin', source: 'builtin', ignoredWorkspaceValue: true });
    assert.deepEqual(resolveMachineSetting(undefined, 'b', isString), { value: 'b', source: 'builtin', ignoredWorkspaceValue: false });
  });
});

describe('readPfctlSettings', () => {
  it('builds the target from user/default values only', () => {
    const values: Record<string, InspectResult<unknown>> = {
      'pfctl.path': { key: 'pf.pfctl.path', defaultValue: '/sbin/pfctl', workspaceValue: './evil-pfctl' },
      'pfctl.privilege': { key: 'pf.pfctl.privilege', defaultValue: 'none', globalValue: 'doas', workspaceValue: 'sudo' },
      'remote.host': { key: 'pf.remote.host', defaultValue: '', workspaceValue: 'attacker.example' },
      'remote.sshPath': { key: 'pf.remote.sshPath', defaultValue: 'ssh', workspaceFolderValue: './evil-ssh' },
      'safeLoad.seconds': { key: 'pf.safeLoad.seconds', defaultValue: 60, globalValue: 1 },
    };
    const s = readPfctlSettings((k) => values[k]);
    assert.deepEqual(s.target, {
      pfctlPath: '/sbin/pfctl',
      privilege: 'doas',
      remoteHost: undefined,
      sshPath: 'ssh',
      spamdbPath: '/usr/sbin/spamdb',
    });
    assert.equal(s.safeLoadSeconds, 60, 'a 1 s window is refused (minimum 5)');
    assert.equal(s.rollbackFile, '/etc/pf.conf');
    assert.deepEqual(s.ignoredWorkspaceKeys.sort(), ['pfctl.path', 'pfctl.privilege', 'remote.host', 'remote.sshPath']);
  });

  it('takes the remote host from user settings', () => {
    const s = readPfctlSettings((k) => (k === 'remote.host' ? { key: k, defaultValue: '', globalValue: ' admin@fw1 ' } : undefined));
    assert.equal(s.target.remoteHost, 'admin@fw1');
    assert.deepEqual(s.ignoredWorkspaceKeys, []);
  });
});
