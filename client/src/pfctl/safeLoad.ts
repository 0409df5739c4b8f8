/**
 * Safe load ("commit confirmed"): load a ruleset, and unless the user
 * confirms within N seconds, the host restores the previous one by itself.
 *
 * How the previous ruleset is saved
 * ---------------------------------
 * pfctl cannot dump the running configuration losslessly: `-s rules`/`-s nat`
 * print the rules (with macros and lists expanded) but not table contents,
 * `set` options, queue definitions or rulesets loaded into anchors from other
 * files, and `-s all` is a report, not pf.conf syntax.  Feeding that back with
 * `pfctl -f` would silently give a *different* firewall.  So the rollback
 * source is a real pf.conf file on the host: the `pf.safeLoad.rollbackFile`
 * setting, by default /etc/pf.conf — the file the system loads at boot (rc(8)
 * on OpenBSD, pf_rules in rc.conf on FreeBSD, macOS' /etc/pf.conf), i.e. the
 * known-good state the operator would fall back to on the console.  Before
 * anything is loaded, the arm step COPIES that file into a fresh private
 * directory (mktemp -d, mode 0700) and proves the copy parses with
 * `pfctl -nf`; later edits to the original do not affect the rollback.
 * Because of this, loading the rollback file itself (the same path on this
 * machine) is refused: its previous contents are already gone from disk.
 *
 * How the rollback is armed
 * -------------------------
 * The same arm step (one fixed /bin/sh script, arguments passed as "$1" "$2"
 * "$3", see argv.ts) creates a `pending` marker and starts
 *   nohup /bin/sh -c 'sleep N; mv pending rolledback && pfctl -f previous.conf' &
 * with all descriptors redirected, BEFORE the new rules are loaded.  nohup
 * makes it immune to the hang-up of a dropped ssh session; it is a plain
 * background process of the host, so the restore happens even if the
 * editor, the network or the new rules themselves cut us off.  Confirming
 * renames `pending` to `confirmed`; the job renames it to `rolledback`.
 * rename(2) is atomic, so exactly one of them wins — a confirmation that
 * arrives too late is reported as such, never half-applied.  After a
 * confirmation the job just removes its directory when it wakes up; after a
 * rollback the directory keeps `rollback.log` for inspection.
 *
 * The token handed back by the arm step is that directory's path
 * (/tmp/pf-safeload.XXXXXXXXXX), validated before it is used again.
 */

import {
  ArgvError,
  Invocation,
  LoadOptions,
  PfctlTarget,
  RulesSource,
  checkRules,
  loadRules,
  safeLoadArm,
  safeLoadConfirm,
  safeLoadRollbackNow,
  validateSafeLoadToken,
} from './argv';
import { parsePfctlErrors, PfctlErrorReport } from './parse';
import type { RunOptions, RunResult } from './run';
import { succeeded } from './run';

export const DEFAULT_ROLLBACK_FILE = '/etc/pf.conf';
export const DEFAULT_SAFE_LOAD_SECONDS = 60;

export interface SafeLoadRequest {
  source: RulesSource;
  seconds: number;
  rollbackFile: string;
}

export interface SafeLoadPlan {
  check: Invocation;
  arm: Invocation;
  load: Invocation;
  confirm(token: string): Invocation;
  rollbackNow(token: string): Invocation;
  seconds: number;
}

/** Build every invocation of a safe load up front (throws ArgvError on bad input). */
export function planSafeLoad(target: PfctlTarget, req: SafeLoadRequest): SafeLoadPlan {
  if (!target.remoteHost && req.source.path !== undefined && samePath(req.source.path, req.rollbackFile)) {
    throw new ArgvError(
      `Cannot safe-load ${req.rollbackFile}: it is the rollback source, so its previous contents are already gone. ` +
        'Load a working copy instead, or point pf.safeLoad.rollbackFile at a saved known-good file.',
    );
  }
  const opts: LoadOptions = {};
  return {
    check: checkRules(target, req.source, opts),
    arm: safeLoadArm(target, { rollbackFile: req.rollbackFile, seconds: req.seconds }),
    load: loadRules(target, req.source, opts),
    confirm: (token) => safeLoadConfirm(target, token),
    rollbackNow: (token) => safeLoadRollbackNow(target, token),
    seconds: req.seconds,
  };
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string) => p.replace(/\/+/g, '/').replace(/\/$/, '');
  return norm(a) === norm(b);
}

/** The token is the last line of the arm step's stdout. */
export function parseArmToken(stdout: string): string | undefined {
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const last = lines[lines.length - 1];
  if (last === undefined) return undefined;
  try {
    return validateSafeLoadToken(last);
  } catch {
    return undefined;
  }
}

export type Runner = (inv: Invocation, opts?: RunOptions) => Promise<RunResult>;

export type SafeLoadOutcome =
  | { status: 'check-failed'; result: RunResult; errors: PfctlErrorReport }
  | { status: 'arm-failed'; result: RunResult }
  | { status: 'load-failed'; result: RunResult; errors: PfctlErrorReport; disarmed: boolean }
  | { status: 'cancelled'; step: 'check' | 'arm' | 'load'; token?: string }
  | { status: 'armed'; token: string; deadline: Date; result: RunResult };

export interface DriverHooks {
  /** Called before each step runs (for progress and echoing the command line). */
  onStep?(step: 'check' | 'arm' | 'load' | 'disarm', inv: Invocation): void;
  /** Called after each step (for the output channel). */
  onResult?(step: 'check' | 'arm' | 'load' | 'disarm', inv: Invocation, result: RunResult): void;
  runOptions?: RunOptions;
  now?: () => Date;
}

/**
 * Check, save + arm, load.  Returns `armed` with the token when the new rules
 * are in place and the rollback is ticking; the caller then either calls
 * `confirmSafeLoad` or lets the deadline pass.
 */
export async function startSafeLoad(plan: SafeLoadPlan, run: Runner, hooks: DriverHooks = {}): Promise<SafeLoadOutcome> {
  const step = async (name: 'check' | 'arm' | 'load' | 'disarm', inv: Invocation, opts?: RunOptions) => {
    hooks.onStep?.(name, inv);
    const result = await run(inv, opts ?? hooks.runOptions);
    hooks.onResult?.(name, inv, result);
    return result;
  };

  const check = await step('check', plan.check);
  if (check.cancelled) return { status: 'cancelled', step: 'check' };
  if (!succeeded(check)) return { status: 'check-failed', result: check, errors: parsePfctlErrors(check.stderr) };

  const arm = await step('arm', plan.arm);
  if (arm.cancelled) return { status: 'cancelled', step: 'arm' };
  const token = succeeded(arm) ? parseArmToken(arm.stdout) : undefined;
  if (!token) return { status: 'arm-failed', result: arm };

  const now = hooks.now ? hooks.now() : new Date();
  // The load itself is not cancellable: once it has been started the outcome
  // is decided by the armed rollback, not by the editor.
  const loadOpts = { ...hooks.runOptions, signal: undefined };
  const load = await step('load', plan.load, loadOpts);
  const connectionLost = plan.load.remote && load.code === 255;
  const refused = load.code !== 0 && load.code !== null && !connectionLost && !load.timedOut;
  const neverStarted = !!load.spawnError && !plan.load.remote;
  if (refused || neverStarted) {
    // pfctl refused the rules: the running ruleset is unchanged (pfctl(8)),
    // so take the pending rollback back instead of reloading needlessly.
    const disarm = await step('disarm', plan.confirm(token), loadOpts);
    return { status: 'load-failed', result: load, errors: parsePfctlErrors(load.stderr), disarmed: succeeded(disarm) };
  }
  if (!succeeded(load)) {
    // Connection lost (ssh exits 255) or no answer: we do not know what
    // happened, so the armed rollback stays and will restore the old rules.
    return { status: 'load-failed', result: load, errors: parsePfctlErrors(load.stderr), disarmed: false };
  }
  return { status: 'armed', token, deadline: new Date(now.getTime() + plan.seconds * 1000), result: load };
}

export type ConfirmOutcome = 'confirmed' | 'too-late' | 'nothing-pending' | 'failed';

export function classifyConfirm(result: RunResult): ConfirmOutcome {
  if (succeeded(result) && /confirmed/.test(result.stdout)) return 'confirmed';
  if (result.code === 4) return 'too-late';
  if (result.code === 5) return 'nothing-pending';
  return 'failed';
}

export async function confirmSafeLoad(plan: Pick<SafeLoadPlan, 'confirm'>, token: string, run: Runner, opts?: RunOptions) {
  const result = await run(plan.confirm(token), opts);
  return { outcome: classifyConfirm(result), result };
}

export async function rollbackSafeLoadNow(plan: Pick<SafeLoadPlan, 'rollbackNow'>, token: string, run: Runner, opts?: RunOptions) {
  const result = await run(plan.rollbackNow(token), opts);
  return { ok: succeeded(result), result };
}

// ------------------------------------------------------------ plain load

export type CheckedLoadOutcome =
  | { status: 'check-failed'; check: RunResult; errors: PfctlErrorReport }
  | { status: 'cancelled' }
  | { status: 'declined' }
  | { status: 'loaded' | 'load-failed'; load: RunResult; errors: PfctlErrorReport };

/**
 * Every load runs the `-n` check with the same flags first and refuses to
 * load when it fails; then `confirm` (the editor's modal question naming the
 * host) decides; only then `pfctl -f` runs.
 */
export async function checkedLoad(
  target: PfctlTarget,
  source: RulesSource,
  opts: LoadOptions,
  run: Runner,
  confirm: (load: Invocation) => Promise<boolean>,
  runOptions?: RunOptions,
): Promise<CheckedLoadOutcome> {
  const check = await run(checkRules(target, source, opts), runOptions);
  if (check.cancelled) return { status: 'cancelled' };
  if (!succeeded(check)) return { status: 'check-failed', check, errors: parsePfctlErrors(check.stderr) };
  const load = loadRules(target, source, opts);
  if (!(await confirm(load))) return { status: 'declined' };
  const r = await run(load, runOptions);
  if (r.cancelled) return { status: 'cancelled' };
  return { status: succeeded(r) ? 'loaded' : 'load-failed', load: r, errors: parsePfctlErrors(r.stderr) };
}
