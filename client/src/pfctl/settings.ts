/**
 * Resolving the pfctl settings from `WorkspaceConfiguration.inspect()`.
 *
 * These settings choose which program runs as root and on which host, so a
 * repository must not be able to change them: they are declared with
 * `"scope": "machine"`, and on top of that only the user's own (global)
 * value and the default are honoured here.  Workspace, workspace-folder and
 * language-specific values are ignored even if they reach us (for instance
 * through an older VS Code, or a settings file edited by hand).
 * Pure: no vscode import.
 */

import { DEFAULT_PFCTL_PATH, DEFAULT_SPAMDB_PATH, DEFAULT_SSH_PATH, PfctlTarget, Privilege } from './argv';
import { DEFAULT_ROLLBACK_FILE, DEFAULT_SAFE_LOAD_SECONDS } from './safeLoad';

/** The subset of vscode's inspect() result that matters here. */
export interface InspectResult<T> {
  key: string;
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
  defaultLanguageValue?: T;
  globalLanguageValue?: T;
  workspaceLanguageValue?: T;
  workspaceFolderLanguageValue?: T;
}

export interface Resolved<T> {
  value: T;
  source: 'global' | 'default' | 'builtin';
  /** A workspace-level value existed and was ignored. */
  ignoredWorkspaceValue: boolean;
}

/**
 * Effective value of a machine setting: the user's global value if valid,
 * else the declared default if valid, else `fallback`.
 */
export function resolveMachineSetting<T>(
  inspected: InspectResult<unknown> | undefined,
  fallback: T,
  isValid: (v: unknown) => v is T,
): Resolved<T> {
  const ignoredWorkspaceValue =
    !!inspected &&
    (inspected.workspaceValue !== undefined ||
      inspected.workspaceFolderValue !== undefined ||
      inspected.workspaceLanguageValue !== undefined ||
      inspected.workspaceFolderLanguageValue !== undefined);
  if (inspected && isValid(inspected.globalValue)) return { value: inspected.globalValue, source: 'global', ignoredWorkspaceValue };
  if (inspected && isValid(inspected.defaultValue)) return { value: inspected.defaultValue, source: 'default', ignoredWorkspaceValue };
  return { value: fallback, source: 'builtin', ignoredWorkspaceValue };
}

const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isString = (v: unknown): v is string => typeof v === 'string';
const isPrivilege = (v: unknown): v is Privilege => v === 'none' || v === 'sudo' || v === 'doas';
const isSeconds = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 5 && v <= 3600;

export interface PfctlSettings {
  target: PfctlTarget;
  safeLoadSeconds: number;
  rollbackFile: string;
  /** Keys (without the `pf.` prefix) whose workspace value was ignored. */
  ignoredWorkspaceKeys: string[];
}

/** Setting keys below the `pf` section, all machine-scoped. */
export const MACHINE_KEYS = [
  'pfctl.path',
  'pfctl.privilege',
  'remote.host',
  'remote.sshPath',
  'spamdb.path',
  'safeLoad.seconds',
  'safeLoad.rollbackFile',
] as const;

/** `inspect` is `(key) => vscode.workspace.getConfiguration('pf').inspect(key)`. */
export function readPfctlSettings(inspect: (key: string) => InspectResult<unknown> | undefined): PfctlSettings {
  const ignored: string[] = [];
  const get = <T>(key: string, fallback: T, valid: (v: unknown) => v is T): T => {
    const r = resolveMachineSetting(inspect(key), fallback, valid);
    if (r.ignoredWorkspaceValue) ignored.push(key);
    return r.value;
  };
  const host = get('remote.host', '', isString).trim();
  return {
    target: {
      pfctlPath: get('pfctl.path', DEFAULT_PFCTL_PATH, isNonEmptyString),
      privilege: get('pfctl.privilege', 'none' as Privilege, isPrivilege),
      remoteHost: host === '' ? undefined : host,
      sshPath: get('remote.sshPath', DEFAULT_SSH_PATH, isNonEmptyString),
      spamdbPath: get('spamdb.path', DEFAULT_SPAMDB_PATH, isNonEmptyString),
    },
    safeLoadSeconds: get('safeLoad.seconds', DEFAULT_SAFE_LOAD_SECONDS, isSeconds),
    rollbackFile: get('safeLoad.rollbackFile', DEFAULT_ROLLBACK_FILE, isNonEmptyString),
    ignoredWorkspaceKeys: ignored,
  };
}
