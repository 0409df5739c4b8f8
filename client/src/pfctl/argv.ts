/**
 * Pure argv builders for pfctl(8) and spamdb(8).
 *
 * Nothing here runs a process and nothing here builds a command *string* for
 * a local shell: every builder returns an argv array (`file` + `args`) that
 * run.ts hands to spawn() with `shell: false`.
 *
 * Privilege: `sudo -n --` or `doas -n --` is put in front of the command.  The
 * `-n` (non-interactive) flag makes sudo/doas fail at once instead of waiting
 * for a password on a terminal that does not exist (the editor has none, and
 * on a remote run stdin carries the rules file).  Users therefore need a
 * password-less rule for pfctl (sudoers NOPASSWD, doas.conf `nopass`).
 *
 * Remote runs go through the system's ssh.  ssh joins its command arguments
 * into ONE string which the remote user's shell parses, so that is the only
 * place where a shell sees our arguments.  Every argument is quoted for a
 * POSIX shell with `shQuote` (single quotes, `'` written as `'\''`), the host
 * is preceded by `--` so it can never be read as an ssh option, and hosts
 * starting with `-` are refused.  The quoted strings never contain a newline
 * or `!`, so they also survive a csh/tcsh login shell.
 *
 * Remote file transfer: the rules file is STREAMED ON STDIN (`pfctl -nf -`,
 * `pfctl -f -`), never copied with scp.  Reasons: no temporary file to name,
 * protect, race on and clean up on the host; no second connection; no remote
 * path to quote; and what is checked is exactly what is then loaded (the
 * editor's text).  The cost: pfctl names the file `stdin` in its messages
 * (parse.ts maps that back to the document) and relative `include` paths are
 * resolved against the remote login directory.
 *
 * Local runs pass the file path (`pfctl -nf /path/pf.conf`) so that pfctl's
 * messages name real files (including files pulled in with `include`); a
 * source without a path (an untitled editor) is streamed on stdin as well.
 *
 * Option letters: -N (NAT only), -R (filter only) and -O (options only) are
 * FreeBSD/macOS pfctl options.  On OpenBSD -N means "no DNS resolution", -R
 * takes a rule id and -O does not exist; OpenBSD has no partial load.
 */

import { isIP } from 'net';

export type Privilege = 'none' | 'sudo' | 'doas';

export interface PfctlTarget {
  /** pfctl executable on the (local or remote) host, e.g. /sbin/pfctl. */
  pfctlPath: string;
  privilege: Privilege;
  /** ssh destination (host, user@host or an ssh_config alias); undefined = this machine. */
  remoteHost?: string;
  /** ssh client on this machine. */
  sshPath: string;
  /** spamdb executable on the host; defaults to /usr/sbin/spamdb. */
  spamdbPath?: string;
}

export interface Invocation {
  /** Executable spawned on this machine (pfctl, sudo, doas or ssh). */
  file: string;
  args: string[];
  /** Bytes written to the child's stdin (then stdin is closed). */
  stdin?: string | Buffer;
  /** The exact command line, shell-quoted for reading (echoed to the output channel). */
  display: string;
  /** True when the command runs on `target.remoteHost` through ssh. */
  remote: boolean;
  /** "this machine" or the ssh host, for confirmations. */
  hostLabel: string;
}

/** Where the rules come from: a file path on this machine and/or its text. */
export interface RulesSource {
  path?: string;
  content?: string | Buffer;
}

export const DEFAULT_PFCTL_PATH = '/sbin/pfctl';
export const DEFAULT_SPAMDB_PATH = '/usr/sbin/spamdb';
export const DEFAULT_SSH_PATH = 'ssh';
/** pf's PF_TABLE_NAME_SIZE is 32 including the terminating NUL. */
export const MAX_TABLE_NAME = 31;

export class ArgvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgvError';
  }
}

// ---------------------------------------------------------------- quoting

/**
 * Quote one argument for a POSIX shell: wrap in single quotes, write each
 * embedded `'` as `'\''`.  Inside single quotes a POSIX shell interprets
 * nothing at all, so the result always stands for exactly `s`.
 */
export function shQuote(s: string): string {
  if (s.includes('\0')) throw new ArgvError('an argument cannot contain a NUL byte');
  return "'" + s.replace(/'/g, "'\\''") + "'";
}

/** Join an argv into one command string for a remote POSIX shell (ssh). */
export function remoteCommandString(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}

/** Quote only when needed: for displaying a command line to a person. */
export function displayQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : shQuote(s);
}

export function displayArgv(argv: readonly string[]): string {
  return argv.map(displayQuote).join(' ');
}

// ------------------------------------------------------------- validation

const CONTROL = /[\u0000-\u001f\u007f]/;

export function validateTableName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new ArgvError('Table name is empty.');
  if (Buffer.byteLength(name, 'utf8') > MAX_TABLE_NAME) {
    throw new ArgvError(`Table name "${name}" is longer than ${MAX_TABLE_NAME} bytes (pf's limit).`);
  }
  if (/\s/.test(name) || CONTROL.test(name)) throw new ArgvError(`Table name "${name}" contains whitespace or control characters.`);
  if (/[<>]/.test(name)) throw new ArgvError(`Table name "${name}" must be given without < >.`);
  return name;
}

const ANCHOR_COMPONENT = /^[A-Za-z0-9_.:()@+-]+$/;

/** Anchor path: components separated by '/', as in `authpf/smith(1234)`. */
export function validateAnchorName(anchor: string): string {
  if (typeof anchor !== 'string' || anchor.length === 0) throw new ArgvError('Anchor name is empty.');
  if (anchor.length > 1023) throw new ArgvError('Anchor name is too long.');
  if (anchor.startsWith('-')) throw new ArgvError(`Anchor name "${anchor}" must not start with "-".`);
  for (const part of anchor.split('/')) {
    if (!ANCHOR_COMPONENT.test(part) || part === '.' || part === '..' || part.length > 63) {
      throw new ArgvError(
        `Anchor name "${anchor}" is not valid: use letters, digits and _ . : ( ) @ + - in components of at most 63 characters separated by "/".`,
      );
    }
  }
  return anchor;
}

/** An IPv4 or IPv6 address with an optional /prefix, as pfctl -T add/delete/test take. */
export function validateAddress(addr: string): string {
  if (typeof addr !== 'string') throw new ArgvError('Address is not a string.');
  const m = /^([^/]+)(?:\/(0|[1-9][0-9]{0,2}))?$/.exec(addr);
  const family = m && !m[1].includes('%') ? isIP(m[1]) : 0;
  if (!m || family === 0) {
    throw new ArgvError(`"${addr}" is not an IPv4 or IPv6 address (optionally with /prefix).`);
  }
  if (m[2] !== undefined && Number(m[2]) > (family === 4 ? 32 : 128)) {
    throw new ArgvError(`"${addr}": prefix length is out of range for IPv${family}.`);
  }
  return addr;
}

/** A bare IP address (spamdb keys must be numerical IP addresses). */
export function validateIp(addr: string): string {
  if (typeof addr !== 'string' || addr.includes('%') || isIP(addr) === 0) {
    throw new ArgvError(`"${addr}" is not a numerical IPv4 or IPv6 address.`);
  }
  return addr;
}

export function validateHost(host: string): string {
  if (typeof host !== 'string' || host.length === 0) throw new ArgvError('Remote host is empty.');
  if (host.startsWith('-')) throw new ArgvError(`Remote host "${host}" must not start with "-".`);
  if (/\s/.test(host) || CONTROL.test(host) || host.length > 255) {
    throw new ArgvError(`Remote host "${host}" is not a valid ssh destination.`);
  }
  return host;
}

function validateExecutable(p: string, what: string): string {
  if (typeof p !== 'string' || p.length === 0) throw new ArgvError(`${what} path is empty.`);
  if (p.startsWith('-')) throw new ArgvError(`${what} path "${p}" must not start with "-".`);
  if (CONTROL.test(p)) throw new ArgvError(`${what} path contains control characters.`);
  return p;
}

// ----------------------------------------------------------------- core

export function privilegePrefix(privilege: Privilege): string[] {
  switch (privilege) {
    case 'none':
      return [];
    case 'sudo':
      return ['sudo', '-n', '--'];
    case 'doas':
      return ['doas', '-n', '--'];
    default:
      throw new ArgvError(`Unknown privilege command "${String(privilege)}".`);
  }
}

export function hostLabel(target: PfctlTarget): string {
  return target.remoteHost ? target.remoteHost : 'this machine';
}

/**
 * Wrap a host-side argv (`[program, ...args]`) with the privilege prefix and,
 * for remote targets, with ssh.  This is the one place where invocations are
 * assembled; it does not validate program-specific arguments.
 */
export function buildInvocation(target: PfctlTarget, hostArgv: readonly string[], stdin?: string | Buffer): Invocation {
  if (hostArgv.length === 0) throw new ArgvError('empty command');
  const argv = [...privilegePrefix(target.privilege), ...hostArgv];
  if (target.remoteHost !== undefined && target.remoteHost !== '') {
    const host = validateHost(target.remoteHost);
    const ssh = validateExecutable(target.sshPath, 'ssh');
    const args = ['-o', 'BatchMode=yes', '--', host, remoteCommandString(argv)];
    return { file: ssh, args, stdin, display: displayArgv([ssh, ...args]), remote: true, hostLabel: host };
  }
  return {
    file: argv[0],
    args: argv.slice(1),
    stdin,
    display: displayArgv(argv) + (stdin !== undefined ? ' < (editor text)' : ''),
    remote: false,
    hostLabel: 'this machine',
  };
}

function pfctl(target: PfctlTarget, args: readonly string[], stdin?: string | Buffer): Invocation {
  return buildInvocation(target, [validateExecutable(target.pfctlPath, 'pfctl'), ...args], stdin);
}

/** Decide between `-f <path>` and `-f -` with stdin (see the header comment). */
export function rulesFileArgs(target: PfctlTarget, source: RulesSource): { file: string; stdin?: string | Buffer } {
  const remote = !!target.remoteHost;
  if (!remote && source.path !== undefined && source.path !== '') {
    if (source.path === '-') return { file: './-' };
    return { file: source.path };
  }
  if (source.content === undefined) {
    throw new ArgvError(remote ? 'A remote run needs the rules text (it is streamed to pfctl on stdin).' : 'No rules file or text given.');
  }
  return { file: '-', stdin: source.content };
}

// ------------------------------------------------------------ ruleset ops

export type LoadScope = 'all' | 'nat' | 'filter' | 'options';

export interface LoadOptions {
  scope?: LoadScope;
  /** Load into this anchor (`-a anchor -f file`). */
  anchor?: string;
}

function loadFlags(opts: LoadOptions): string[] {
  const flags: string[] = [];
  if (opts.anchor !== undefined) flags.push('-a', validateAnchorName(opts.anchor));
  switch (opts.scope ?? 'all') {
    case 'all':
      break;
    case 'nat':
      flags.push('-N');
      break;
    case 'filter':
      flags.push('-R');
      break;
    case 'options':
      flags.push('-O');
      break;
    default:
      throw new ArgvError(`Unknown load scope "${String(opts.scope)}".`);
  }
  return flags;
}

/** `pfctl -n [-vv] [load flags] -f file`: parse only, load nothing. */
export function checkRules(target: PfctlTarget, source: RulesSource, opts: LoadOptions & { verbose?: boolean } = {}): Invocation {
  const { file, stdin } = rulesFileArgs(target, source);
  const args = [...(opts.verbose ? ['-vv'] : []), '-n', ...loadFlags(opts), '-f', file];
  return pfctl(target, args, stdin);
}

/** `pfctl [-N|-R|-O] [-a anchor] -f file`. */
export function loadRules(target: PfctlTarget, source: RulesSource, opts: LoadOptions = {}): Invocation {
  const { file, stdin } = rulesFileArgs(target, source);
  return pfctl(target, [...loadFlags(opts), '-f', file], stdin);
}

// ------------------------------------------------------------------ tables

export type TableCommand = 'show' | 'add' | 'delete' | 'test' | 'flush';

export function tableCommand(
  target: PfctlTarget,
  table: string,
  command: TableCommand,
  addresses: readonly string[] = [],
  anchor?: string,
): Invocation {
  validateTableName(table);
  const needsAddresses = command === 'add' || command === 'delete' || command === 'test';
  if (needsAddresses && addresses.length === 0) throw new ArgvError(`-T ${command} needs at least one address.`);
  if (!needsAddresses && addresses.length > 0) throw new ArgvError(`-T ${command} takes no addresses.`);
  if (!['show', 'add', 'delete', 'test', 'flush'].includes(command)) throw new ArgvError(`Unknown table command "${command}".`);
  const anchorArgs = anchor !== undefined ? ['-a', validateAnchorName(anchor)] : [];
  return pfctl(target, [...anchorArgs, '-t', table, '-T', command, ...addresses.map(validateAddress)]);
}

export const showTable = (t: PfctlTarget, table: string, anchor?: string) => tableCommand(t, table, 'show', [], anchor);
export const addToTable = (t: PfctlTarget, table: string, addrs: readonly string[], anchor?: string) =>
  tableCommand(t, table, 'add', addrs, anchor);
export const deleteFromTable = (t: PfctlTarget, table: string, addrs: readonly string[], anchor?: string) =>
  tableCommand(t, table, 'delete', addrs, anchor);
export const testTable = (t: PfctlTarget, table: string, addrs: readonly string[], anchor?: string) =>
  tableCommand(t, table, 'test', addrs, anchor);
export const flushTable = (t: PfctlTarget, table: string, anchor?: string) => tableCommand(t, table, 'flush', [], anchor);

/** `pfctl -s Tables`. */
export function listTables(target: PfctlTarget, anchor?: string): Invocation {
  const anchorArgs = anchor !== undefined ? ['-a', validateAnchorName(anchor)] : [];
  return pfctl(target, [...anchorArgs, '-s', 'Tables']);
}

// -------------------------------------------------------------------- show

/** `-s` modifiers, spelled as in pfctl(8). (`nat` exists on FreeBSD/macOS only.) */
export const SHOW_SECTIONS = ['rules', 'nat', 'states', 'info', 'labels', 'memory', 'timeouts', 'Tables'] as const;
export type ShowSection = (typeof SHOW_SECTIONS)[number];

export function show(target: PfctlTarget, section: ShowSection, opts: { verbose?: boolean } = {}): Invocation {
  if (!(SHOW_SECTIONS as readonly string[]).includes(section)) throw new ArgvError(`Unknown -s modifier "${section}".`);
  return pfctl(target, [...(opts.verbose ? ['-v'] : []), '-s', section]);
}

export const enablePf = (t: PfctlTarget) => pfctl(t, ['-e']);
export const disablePf = (t: PfctlTarget) => pfctl(t, ['-d']);

// ------------------------------------------------------------------ spamdb

function spamdb(target: PfctlTarget, args: readonly string[]): Invocation {
  return buildInvocation(target, [validateExecutable(target.spamdbPath ?? DEFAULT_SPAMDB_PATH, 'spamdb'), ...args]);
}

/** `spamdb` without options lists the whole database. */
export const spamdbList = (t: PfctlTarget) => spamdb(t, []);
/** `spamdb -a IP`: add (or refresh) a WHITE entry. */
export const spamdbWhitelistAdd = (t: PfctlTarget, ip: string) => spamdb(t, ['-a', validateIp(ip)]);
/** `spamdb -d IP`: delete the entry. */
export const spamdbWhitelistDelete = (t: PfctlTarget, ip: string) => spamdb(t, ['-d', validateIp(ip)]);

// --------------------------------------------------------------- safe load
//
// See safeLoad.ts for the design.  The host-side scripts are fixed constants,
// one line each (so a csh login shell on the far side of ssh parses them
// too), and every variable part is a positional parameter ("$1" ...), never
// spliced into the script text.

/** Directory prefix created by mktemp on the host for one safe load. */
export const SAFE_LOAD_DIR_PREFIX = '/tmp/pf-safeload.';
const SAFE_LOAD_TOKEN = /^\/tmp\/pf-safeload\.[A-Za-z0-9]{6,}$/;

/**
 * Save + arm.  $1 = pfctl, $2 = rollback source file, $3 = seconds.
 * Copies $2 into a fresh private directory, proves the copy parses
 * (`pfctl -nf`), creates the `pending` marker and starts the detached
 * rollback job with nohup (immune to the SIGHUP of a dropped ssh session,
 * all descriptors redirected so ssh does not wait for it).  Prints the
 * directory, which is the token for confirm / roll back now.
 */
export const SAFE_LOAD_ARM_SCRIPT =
  'umask 077; d=$(mktemp -d /tmp/pf-safeload.XXXXXXXXXX) || exit 3; ' +
  'if cp -- "$2" "$d/previous.conf"; then :; else rm -rf -- "$d"; exit 3; fi; ' +
  'if "$1" -nf "$d/previous.conf"; then :; else echo "pf-safeload: the rollback source $2 does not parse; nothing was loaded" >&2; rm -rf -- "$d"; exit 3; fi; ' +
  ': > "$d/pending" || exit 3; ' +
  'nohup /bin/sh -c ' +
  shQuote(
    'sleep "$1"; if mv -- "$2/pending" "$2/rolledback" 2>/dev/null; then date; "$3" -f "$2/previous.conf"; echo "exit $?"; else rm -rf -- "$2"; fi',
  ) +
  ' pf-rollback "$3" "$d" "$1" </dev/null >"$d/rollback.log" 2>&1 & ' +
  'echo "$d"';

/** Confirm: $1 = token directory.  Atomic rename wins against the rollback job. */
export const SAFE_LOAD_CONFIRM_SCRIPT =
  'if mv -- "$1/pending" "$1/confirmed" 2>/dev/null; then echo confirmed; ' +
  'elif [ -e "$1/rolledback" ]; then echo "pf-safeload: too late, the previous ruleset has already been restored" >&2; exit 4; ' +
  'else echo "pf-safeload: no pending safe load in $1" >&2; exit 5; fi';

/** Roll back now: $1 = pfctl, $2 = token directory. */
export const SAFE_LOAD_ROLLBACK_SCRIPT =
  'if mv -- "$2/pending" "$2/rolledback" 2>/dev/null; then "$1" -f "$2/previous.conf"; ' +
  'else echo "pf-safeload: nothing pending in $2 (already confirmed or restored)" >&2; exit 5; fi';

export function validateSafeLoadToken(token: string): string {
  if (typeof token !== 'string' || !SAFE_LOAD_TOKEN.test(token)) throw new ArgvError(`"${token}" is not a safe-load token.`);
  return token;
}

function hostScript(target: PfctlTarget, script: string, name: string, args: readonly string[]): Invocation {
  return buildInvocation(target, ['/bin/sh', '-c', script, name, ...args]);
}

export function safeLoadArm(target: PfctlTarget, opts: { rollbackFile: string; seconds: number }): Invocation {
  const { rollbackFile, seconds } = opts;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86400) throw new ArgvError('Safe-load timeout must be a whole number of seconds between 1 and 86400.');
  if (typeof rollbackFile !== 'string' || rollbackFile === '' || CONTROL.test(rollbackFile)) throw new ArgvError('Rollback file is empty or invalid.');
  return hostScript(target, SAFE_LOAD_ARM_SCRIPT, 'pf-safeload-arm', [
    validateExecutable(target.pfctlPath, 'pfctl'),
    rollbackFile,
    String(seconds),
  ]);
}

export function safeLoadConfirm(target: PfctlTarget, token: string): Invocation {
  return hostScript(target, SAFE_LOAD_CONFIRM_SCRIPT, 'pf-safeload-confirm', [validateSafeLoadToken(token)]);
}

export function safeLoadRollbackNow(target: PfctlTarget, token: string): Invocation {
  return hostScript(target, SAFE_LOAD_ROLLBACK_SCRIPT, 'pf-safeload-rollback', [
    validateExecutable(target.pfctlPath, 'pfctl'),
    validateSafeLoadToken(token),
  ]);
}
