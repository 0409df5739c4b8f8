/**
 * Process execution for pfctl/spamdb/ssh invocations built by argv.ts.
 * spawn() with shell:false, optional stdin, cancellation through an
 * AbortSignal, a timeout, and collected stdout/stderr/exit code.
 * No vscode import: this module is tested in plain node.
 */

import { spawn } from 'child_process';
import type { Invocation } from './argv';

export interface RunOptions {
  signal?: AbortSignal;
  /** Kill the child after this many milliseconds (0/undefined: no limit). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Grace period between SIGTERM and SIGKILL (default 2000 ms). */
  killGraceMs?: number;
}

export interface RunResult {
  /** Exit code, or null when the child died of a signal or never started. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  cancelled: boolean;
  timedOut: boolean;
  /** Set when the program could not be started (e.g. ENOENT). */
  spawnError?: Error;
}

export function succeeded(r: RunResult): boolean {
  return r.code === 0 && !r.cancelled && !r.timedOut && !r.spawnError;
}

/** A one-line human summary of how the run ended. */
export function describeExit(r: RunResult): string {
  if (r.spawnError) return `could not start: ${r.spawnError.message}`;
  if (r.cancelled) return 'cancelled';
  if (r.timedOut) return 'timed out';
  if (r.signal) return `killed by ${r.signal}`;
  return `exit code ${r.code}`;
}

export function run(inv: Pick<Invocation, 'file' | 'args' | 'stdin'>, opts: RunOptions = {}): Promise<RunResult> {
  return new Promise<RunResult>((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let cancelled = false;
    let timedOut = false;
    let settled = false;
    let spawnError: Error | undefined;
    let timer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        cancelled,
        timedOut,
        spawnError,
      });
    };

    if (opts.signal?.aborted) {
      cancelled = true;
      finish(null, null);
      return;
    }

    const child = spawn(inv.file, inv.args, {
      shell: false,
      windowsHide: true,
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });

    const stop = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs ?? 2000);
    };
    function onAbort() {
      cancelled = true;
      stop();
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.timeoutMs && opts.timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, opts.timeoutMs);
    }

    child.stdout.on('data', (b: Buffer) => {
      out.push(b);
      opts.onStdout?.(b.toString('utf8'));
    });
    child.stderr.on('data', (b: Buffer) => {
      err.push(b);
      opts.onStderr?.(b.toString('utf8'));
    });
    child.on('error', (e) => {
      spawnError = e;
      finish(null, null);
    });
    child.on('close', (code, signal) => finish(code, signal));

    // A child that exits without reading its stdin makes the write fail with
    // EPIPE; that is not our error to report (the exit code tells the story).
    child.stdin.on('error', () => undefined);
    if (inv.stdin !== undefined) child.stdin.end(inv.stdin);
    else child.stdin.end();
  });
}
