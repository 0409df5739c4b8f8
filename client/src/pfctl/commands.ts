/**
 * VS Code glue for the pfctl/spamdb commands.  All argv building lives in
 * argv.ts, process execution in run.ts, output parsing in parse.ts and the
 * commit-confirmed logic in safeLoad.ts; this file only talks to the editor.
 */

import * as path from 'path';
import * as vscode from 'vscode';
import {
  ArgvError,
  Invocation,
  LoadOptions,
  PfctlTarget,
  RulesSource,
  ShowSection,
  addToTable,
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
  validateAddress,
  validateAnchorName,
  validateIp,
  validateTableName,
} from './argv';
import { formatSpamdb, parsePfctlErrors, parseSpamdb, parseTableList, parseTableShow, PfctlErrorReport } from './parse';
import { RunResult, describeExit, run, succeeded } from './run';
import { SafeLoadPlan, checkedLoad, confirmSafeLoad, planSafeLoad, rollbackSafeLoadNow, startSafeLoad } from './safeLoad';
import { PfctlSettings, readPfctlSettings } from './settings';

export interface PfctlDeps {
  output: vscode.OutputChannel;
  diagnostics: vscode.DiagnosticCollection;
}

export const OUTPUT_SCHEME = 'pfctl-output';
export const TASK_TYPE = 'pfctl';
export const PROBLEM_MATCHER = '$pfctl';

const CHECK_TIMEOUT_MS = 60_000;
const LOAD_TIMEOUT_MS = 120_000;
const SHOW_TIMEOUT_MS = 60_000;

interface PfctlTaskDefinition extends vscode.TaskDefinition {
  type: 'pfctl';
  /** Rules file; relative paths are relative to the workspace folder. */
  file: string;
  verbose?: boolean;
}

interface PendingSafeLoad {
  token: string;
  plan: SafeLoadPlan;
  host: string;
  deadline: Date;
  timer: NodeJS.Timeout;
  status: vscode.StatusBarItem;
}

// ------------------------------------------------------------- helpers

function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showErrorMessage('pfctl and spamdb commands are disabled in untrusted workspaces. Trust this workspace to use them.');
  return false;
}

function settings(output: vscode.OutputChannel): PfctlSettings {
  const cfg = vscode.workspace.getConfiguration('pf');
  const s = readPfctlSettings((key) => cfg.inspect(key));
  for (const key of s.ignoredWorkspaceKeys) {
    output.appendLine(`[pf] ignoring the workspace value of pf.${key}: it is a machine setting, only your user settings count.`);
  }
  return s;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A hint for the usual privilege and ssh failures. */
function hintFor(inv: Invocation, r: RunResult): string | undefined {
  const err = r.stderr;
  if (/password is required|terminal is required|Authentication required|not permitted/i.test(err)) {
    return 'The privilege command needs a password-less rule for this command (sudoers NOPASSWD or doas.conf "nopass"); the editor cannot type a password.';
  }
  if (inv.remote && r.code === 255) return `ssh could not reach ${inv.hostLabel} (exit 255). Check pf.remote.host and that key-based login works without prompts.`;
  if (r.spawnError && (r.spawnError as NodeJS.ErrnoException).code === 'ENOENT') {
    return `${inv.file} was not found. Check pf.pfctl.path / pf.remote.sshPath.`;
  }
  return undefined;
}

class Runner {
  constructor(private readonly output: vscode.OutputChannel) {}

  echo(inv: Invocation): void {
    this.output.appendLine(`$ ${inv.display}`);
  }

  logResult(inv: Invocation, r: RunResult, echoStdout: boolean): void {
    if (echoStdout && r.stdout) this.output.append(r.stdout.endsWith('\n') ? r.stdout : r.stdout + '\n');
    if (r.stderr) this.output.append(r.stderr.endsWith('\n') ? r.stderr : r.stderr + '\n');
    this.output.appendLine(`[${describeExit(r)}]`);
    const hint = succeeded(r) ? undefined : hintFor(inv, r);
    if (hint) this.output.appendLine(`[hint] ${hint}`);
  }

  /** Run with a cancellable progress notification; the command line is echoed first. */
  async run(inv: Invocation, title: string, opts: { timeoutMs?: number; echoStdout?: boolean } = {}): Promise<RunResult> {
    this.echo(inv);
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (_progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        return run(inv, { signal: ac.signal, timeoutMs: opts.timeoutMs ?? SHOW_TIMEOUT_MS }).finally(() => sub.dispose());
      },
    );
    this.logResult(inv, r, opts.echoStdout ?? true);
    return r;
  }
}

/** Report a failed run to the user (with a hint when one applies). */
function reportFailure(what: string, inv: Invocation, r: RunResult, output: vscode.OutputChannel): void {
  if (r.cancelled) {
    void vscode.window.showInformationMessage(`${what}: cancelled.`);
    return;
  }
  const first = (r.stderr.trim().split('\n').pop() ?? '').trim();
  const hint = hintFor(inv, r);
  void vscode.window
    .showErrorMessage(`${what} failed on ${inv.hostLabel} (${describeExit(r)})${first ? ': ' + first : ''}${hint ? ' ' + hint : ''}`, 'Show Output')
    .then((choice) => {
      if (choice) output.show(true);
    });
}

/** The pf document a command acts on: a Uri argument, or the active editor. */
async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc) {
    void vscode.window.showErrorMessage('Open a pf.conf file first.');
    return undefined;
  }
  return doc;
}

/**
 * What gets checked/loaded is what the editor shows: a saved file on this
 * machine is passed by path; unsaved or untitled text, and every remote run,
 * goes to pfctl on stdin (argv.ts).
 */
function sourceOf(doc: vscode.TextDocument): RulesSource {
  const content = doc.getText();
  if (doc.uri.scheme === 'file' && !doc.isUntitled && !doc.isDirty) return { path: doc.uri.fsPath, content };
  return { content };
}

function lineRange(doc: vscode.TextDocument | undefined, line: number): vscode.Range {
  const l = Math.max(0, line - 1);
  if (doc && l < doc.lineCount) return doc.lineAt(l).range;
  return new vscode.Range(l, 0, l, 0);
}

// ----------------------------------------------------------- diagnostics

class DiagnosticsPublisher {
  /** For each checked document, the other files (includes) we put diagnostics on. */
  private readonly related = new Map<string, vscode.Uri[]>();

  constructor(private readonly collection: vscode.DiagnosticCollection) {}

  clear(doc: vscode.TextDocument): void {
    this.collection.delete(doc.uri);
    for (const u of this.related.get(doc.uri.toString()) ?? []) this.collection.delete(u);
    this.related.delete(doc.uri.toString());
  }

  publish(doc: vscode.TextDocument, inv: Invocation, report: PfctlErrorReport): number {
    this.clear(doc);
    const byUri = new Map<string, { uri: vscode.Uri; diags: vscode.Diagnostic[] }>();
    const add = (uri: vscode.Uri, d: vscode.Diagnostic) => {
      const k = uri.toString();
      if (!byUri.has(k)) byUri.set(k, { uri, diags: [] });
      byUri.get(k)!.diags.push(d);
    };
    for (const m of report.messages) {
      let uri: vscode.Uri | undefined;
      let onDoc = false;
      if (m.file === 'stdin' || (doc.uri.scheme === 'file' && m.file === doc.uri.fsPath)) {
        uri = doc.uri;
        onDoc = true;
      } else if (!inv.remote && path.isAbsolute(m.file)) {
        uri = vscode.Uri.file(m.file); // an included file on this machine
      }
      const message = uri ? m.message : `${m.file}:${m.line}: ${m.message}`;
      const d = new vscode.Diagnostic(
        uri ? lineRange(onDoc ? doc : undefined, m.line) : new vscode.Range(0, 0, 0, 0),
        message,
        m.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error,
      );
      d.source = 'pfctl';
      add(uri ?? doc.uri, d);
    }
    const others: vscode.Uri[] = [];
    for (const { uri, diags } of byUri.values()) {
      this.collection.set(uri, diags);
      if (uri.toString() !== doc.uri.toString()) others.push(uri);
    }
    this.related.set(doc.uri.toString(), others);
    return report.messages.filter((m) => m.severity === 'error').length;
  }
}

// ------------------------------------------------------ output documents

class OutputDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Open read-only text in an editor (virtual document, scheme pfctl-output). */
  async open(title: string, content: string, language: 'pf' | 'plaintext'): Promise<void> {
    const safe = title.replace(/[\\/:*?"<>|]+/g, '_');
    const uri = vscode.Uri.from({ scheme: OUTPUT_SCHEME, path: `/${safe}`, query: String(++this.counter) });
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  forget(uri: vscode.Uri): void {
    this.contents.delete(uri.toString());
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function header(inv: Invocation): string {
  return `# ${inv.display}\n# on ${inv.hostLabel}, ${new Date().toLocaleString()}\n`;
}

// ------------------------------------------------------------- commands

export function registerPfctlCommands(context: vscode.ExtensionContext, deps: PfctlDeps): void {
  const { output } = deps;
  const runner = new Runner(output);
  const diagnostics = new DiagnosticsPublisher(deps.diagnostics);
  const docs = new OutputDocuments();
  let pending: PendingSafeLoad | undefined;
  let loading = false;

  context.subscriptions.push(
    docs,
    vscode.workspace.registerTextDocumentContentProvider(OUTPUT_SCHEME, docs),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === OUTPUT_SCHEME) docs.forget(d.uri);
    }),
  );

  const register = (id: string, fn: (...args: unknown[]) => Promise<void>) => {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        if (!trusted()) return;
        try {
          await fn(...args);
        } catch (e) {
          if (e instanceof ArgvError) void vscode.window.showErrorMessage(e.message);
          else {
            output.appendLine(`[error] ${id}: ${errorText(e)}`);
            void vscode.window.showErrorMessage(`${id}: ${errorText(e)}`);
          }
        }
      }),
    );
  };

  // --------------------------------------------------------------- check

  const check = async (
    doc: vscode.TextDocument,
    target: PfctlTarget,
    opts: LoadOptions & { verbose?: boolean } = {},
  ): Promise<boolean | undefined> => {
    const inv = checkRules(target, sourceOf(doc), opts);
    const r = await runner.run(inv, `pfctl: checking ${path.basename(doc.fileName)} on ${inv.hostLabel}…`, {
      timeoutMs: CHECK_TIMEOUT_MS,
      echoStdout: true,
    });
    if (r.cancelled) return undefined;
    const report = parsePfctlErrors(r.stderr);
    const errors = diagnostics.publish(doc, inv, report);
    if (succeeded(r)) return true;
    if (errors === 0) reportFailure('pfctl check', inv, r, output);
    return false;
  };

  const checkCommand = (verbose: boolean) => async (arg?: unknown) => {
    const doc = await targetDocument(arg);
    if (!doc) return;
    const s = settings(output);
    const ok = await check(doc, s.target, { verbose });
    if (ok === true) void vscode.window.setStatusBarMessage(`pfctl: no errors in ${path.basename(doc.fileName)} (${s.target.remoteHost ?? 'this machine'})`, 5000);
    else if (ok === false) {
      const n = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'pfctl' && d.severity === vscode.DiagnosticSeverity.Error).length;
      if (n > 0) void vscode.window.showWarningMessage(`pfctl found ${n} error${n === 1 ? '' : 's'}; see Problems.`);
    }
    if (verbose) output.show(true);
  };
  register('pf.pfctl.check', checkCommand(false));
  register('pf.pfctl.checkVerbose', checkCommand(true));

  // ---------------------------------------------------------------- load

  const describeLoad = (opts: LoadOptions): string => {
    if (opts.anchor !== undefined) return `the rules into anchor "${opts.anchor}"`;
    switch (opts.scope) {
      case 'nat':
        return 'only the NAT rules (-N)';
      case 'filter':
        return 'only the filter rules (-R)';
      case 'options':
        return 'only the options (-O)';
      default:
        return 'the whole ruleset';
    }
  };

  const loadCommand = (scope: LoadOptions['scope'], askAnchor = false) => async (arg?: unknown) => {
    if (loading) {
      void vscode.window.showWarningMessage('A pfctl load is already running.');
      return;
    }
    const doc = await targetDocument(arg);
    if (!doc) return;
    const s = settings(output);
    const opts: LoadOptions = { scope };
    if (askAnchor) {
      const anchor = await vscode.window.showInputBox({
        title: 'Load into anchor',
        prompt: 'Anchor name (nested anchors separated by "/")',
        validateInput: (v) => {
          try {
            validateAnchorName(v);
            return undefined;
          } catch (e) {
            return errorText(e);
          }
        },
      });
      if (anchor === undefined) return;
      opts.anchor = anchor;
    }
    loading = true;
    try {
      const source = sourceOf(doc);
      const checkInv = checkRules(s.target, source, opts);
      let step = 0;
      const outcome = await checkedLoad(
        s.target,
        source,
        opts,
        (inv) =>
          runner.run(inv, step++ === 0 ? `pfctl: checking ${path.basename(doc.fileName)} on ${inv.hostLabel}…` : `pfctl: loading on ${inv.hostLabel}…`, {
            timeoutMs: LOAD_TIMEOUT_MS,
          }),
        async (inv) => {
          diagnostics.clear(doc);
          const choice = await vscode.window.showWarningMessage(
            `Load ${describeLoad(opts)} from ${path.basename(doc.fileName)} into pf on ${inv.hostLabel}?`,
            { modal: true, detail: `The syntax check passed. This replaces the running rules.\n\n${inv.display}` },
            'Load',
          );
          return choice === 'Load';
        },
      );
      switch (outcome.status) {
        case 'check-failed':
          if (diagnostics.publish(doc, checkInv, outcome.errors) > 0) {
            void vscode.window.showErrorMessage(`pfctl found errors in ${path.basename(doc.fileName)}; nothing was loaded.`);
          } else reportFailure('pfctl check (nothing was loaded)', checkInv, outcome.check, output);
          return;
        case 'loaded':
          void vscode.window.showInformationMessage(`Loaded ${describeLoad(opts)} on ${checkInv.hostLabel}.`);
          return;
        case 'load-failed': {
          const loadInv = loadRules(s.target, source, opts);
          diagnostics.publish(doc, loadInv, outcome.errors);
          reportFailure('pfctl load', loadInv, outcome.load, output);
          return;
        }
        default:
          return;
      }
    } finally {
      loading = false;
    }
  };
  register('pf.pfctl.load', loadCommand('all'));
  register('pf.pfctl.loadNat', loadCommand('nat'));
  register('pf.pfctl.loadFilter', loadCommand('filter'));
  register('pf.pfctl.loadOptions', loadCommand('options'));
  register('pf.pfctl.loadAnchor', loadCommand('all', true));

  // ----------------------------------------------------------- safe load

  /** Context key for `when` clauses: a safe load is waiting for confirmation. */
  const setPendingContext = (on: boolean) => void vscode.commands.executeCommand('setContext', 'pf.safeLoadPending', on);
  const endPending = () => {
    if (!pending) return;
    clearInterval(pending.timer);
    pending.status.dispose();
    pending = undefined;
    setPendingContext(false);
  };
  context.subscriptions.push({ dispose: endPending });

  const doConfirm = async (p: PendingSafeLoad) => {
    const inv = p.plan.confirm(p.token);
    runner.echo(inv);
    const { outcome, result } = await confirmSafeLoad(p.plan, p.token, (i) => run(i, { timeoutMs: CHECK_TIMEOUT_MS }));
    runner.logResult(inv, result, true);
    if (pending === p) endPending();
    switch (outcome) {
      case 'confirmed':
        void vscode.window.showInformationMessage(`New pf rules kept on ${p.host}; the automatic rollback is cancelled.`);
        break;
      case 'too-late':
        void vscode.window.showWarningMessage(`Too late: ${p.host} has already restored the previous ruleset.`);
        break;
      case 'nothing-pending':
        void vscode.window.showWarningMessage(`No safe load is pending on ${p.host}.`);
        break;
      default:
        reportFailure(
          `Confirming the safe load (the previous ruleset will be restored at ${p.deadline.toLocaleTimeString()})`,
          inv,
          result,
          output,
        );
    }
  };

  const doRollbackNow = async (p: PendingSafeLoad) => {
    const inv = p.plan.rollbackNow(p.token);
    runner.echo(inv);
    const { ok, result } = await rollbackSafeLoadNow(p.plan, p.token, (i) => run(i, { timeoutMs: LOAD_TIMEOUT_MS }));
    runner.logResult(inv, result, true);
    if (pending === p) endPending();
    if (ok) void vscode.window.showInformationMessage(`The previous ruleset was restored on ${p.host}.`);
    else reportFailure('Rolling back', inv, result, output);
  };

  register('pf.pfctl.safeLoad', async (arg?: unknown) => {
    if (loading || pending) {
      void vscode.window.showWarningMessage(pending ? 'A safe load is waiting for confirmation; confirm it or let it roll back first.' : 'A pfctl load is already running.');
      return;
    }
    const doc = await targetDocument(arg);
    if (!doc) return;
    const s = settings(output);
    const plan = planSafeLoad(s.target, { source: sourceOf(doc), seconds: s.safeLoadSeconds, rollbackFile: s.rollbackFile });
    const host = plan.load.hostLabel;
    const choice = await vscode.window.showWarningMessage(
      `Safe-load ${path.basename(doc.fileName)} into pf on ${host}?`,
      {
        modal: true,
        detail:
          `The rules are checked first. Before loading, a copy of ${s.rollbackFile} is saved on ${host} and a background job there ` +
          `restores it after ${plan.seconds} seconds unless you confirm. If you lose the connection, the rollback still happens.\n\n${plan.load.display}`,
      },
      'Load with automatic rollback',
    );
    if (choice !== 'Load with automatic rollback') return;

    loading = true;
    let outcome;
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `pfctl safe load on ${host}`, cancellable: true },
        (progress, token) => {
          const ac = new AbortController();
          const sub = token.onCancellationRequested(() => ac.abort());
          return startSafeLoad(plan, run, {
            runOptions: { signal: ac.signal, timeoutMs: LOAD_TIMEOUT_MS },
            onStep: (step, inv) => {
              progress.report({ message: { check: 'checking…', arm: 'saving the current ruleset and arming the rollback…', load: 'loading…', disarm: 'load failed, disarming…' }[step] });
              runner.echo(inv);
            },
            onResult: (step, inv, r) => runner.logResult(inv, r, step !== 'arm'),
          }).finally(() => sub.dispose());
        },
      );
    } finally {
      loading = false;
    }

    switch (outcome.status) {
      case 'cancelled':
        void vscode.window.showInformationMessage(
          outcome.step === 'check' ? 'Safe load cancelled; nothing was loaded.' : `Safe load cancelled during ${outcome.step}; nothing was loaded.`,
        );
        return;
      case 'check-failed':
        if (diagnostics.publish(doc, plan.check, outcome.errors) > 0) {
          void vscode.window.showErrorMessage(`pfctl found errors in ${path.basename(doc.fileName)}; nothing was loaded.`);
        } else reportFailure('pfctl check', plan.check, outcome.result, output);
        return;
      case 'arm-failed':
        reportFailure('Saving the current ruleset / arming the rollback (nothing was loaded)', plan.arm, outcome.result, output);
        return;
      case 'load-failed':
        diagnostics.publish(doc, plan.load, outcome.errors);
        reportFailure(
          outcome.disarmed
            ? 'pfctl load (the running rules are unchanged)'
            : `pfctl load (outcome unknown; ${host} restores ${s.rollbackFile} after ${plan.seconds} s)`,
          plan.load,
          outcome.result,
          output,
        );
        return;
      case 'armed':
        break;
    }

    const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 1000);
    status.command = 'pf.pfctl.confirmSafeLoad';
    status.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    const p: PendingSafeLoad = { token: outcome.token, plan, host, deadline: outcome.deadline, timer: undefined as unknown as NodeJS.Timeout, status };
    const tick = () => {
      const left = Math.ceil((p.deadline.getTime() - Date.now()) / 1000);
      if (left <= 0) {
        if (pending === p) endPending();
        output.appendLine(`[pf] no confirmation: ${host} is restoring the previous ruleset (${s.rollbackFile}).`);
        void vscode.window.showWarningMessage(`Not confirmed in time: ${host} restores the previous ruleset (${s.rollbackFile}).`);
        return;
      }
      status.text = `$(watch) pf: keep new rules on ${host}? ${left}s`;
      status.tooltip = `Click to keep the new rules. Otherwise ${host} restores ${s.rollbackFile} at ${p.deadline.toLocaleTimeString()}.`;
    };
    p.timer = setInterval(tick, 1000);
    pending = p;
    setPendingContext(true);
    tick();
    status.show();
    const answer = await vscode.window.showWarningMessage(
      `New pf rules are active on ${host}. Keep them? Without confirmation ${host} restores the previous ruleset at ${p.deadline.toLocaleTimeString()}.`,
      'Keep new rules',
      'Roll back now',
    );
    if (pending !== p) {
      // Confirmed through the command/status bar, or the deadline passed.
      if (answer === 'Keep new rules') await doConfirm(p); // reports "too late" if it was
      return;
    }
    if (answer === 'Keep new rules') await doConfirm(p);
    else if (answer === 'Roll back now') await doRollbackNow(p);
  });

  register('pf.pfctl.confirmSafeLoad', async () => {
    if (!pending) {
      void vscode.window.showInformationMessage('No safe load is waiting for confirmation.');
      return;
    }
    await doConfirm(pending);
  });

  // -------------------------------------------------------------- tables

  const askTable = async (arg: unknown): Promise<string | undefined> => {
    if (typeof arg === 'string' && arg !== '') return validateTableName(arg.replace(/^<(.*)>$/, '$1'));
    return vscode.window.showInputBox({
      title: 'pf table',
      prompt: 'Table name (without < >)',
      validateInput: (v) => {
        try {
          validateTableName(v);
          return undefined;
        } catch (e) {
          return errorText(e);
        }
      },
    });
  };

  const askAddresses = async (title: string, prompt: string): Promise<string[] | undefined> => {
    const split = (v: string) => v.split(/[\s,]+/).filter((x) => x !== '');
    const value = await vscode.window.showInputBox({
      title,
      prompt,
      placeHolder: '192.0.2.1 198.51.100.0/24 2001:db8::/32',
      validateInput: (v) => {
        const list = split(v);
        if (list.length === 0) return 'Enter at least one address.';
        for (const a of list) {
          try {
            validateAddress(a);
          } catch (e) {
            return errorText(e);
          }
        }
        return undefined;
      },
    });
    return value === undefined ? undefined : split(value);
  };

  /** pfctl prints "N/M addresses added." etc. on stderr. */
  const summaryOf = (r: RunResult) =>
    r.stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /addresses|table/.test(l))
      .join(' ');

  register('pf.pfctl.showTable', async (arg?: unknown) => {
    const name = await askTable(arg);
    if (name === undefined) return;
    const s = settings(output);
    const inv = showTable(s.target, name);
    const r = await runner.run(inv, `pfctl: table <${name}> on ${inv.hostLabel}…`, { echoStdout: false });
    if (!succeeded(r)) return reportFailure(`Showing table <${name}>`, inv, r, output);
    const entries = parseTableShow(r.stdout);
    const body = entries.map((e) => (e.negated ? '!' : '') + e.address).join('\n');
    await docs.open(`table ${name} (${inv.hostLabel})`, `${header(inv)}# ${entries.length} address${entries.length === 1 ? '' : 'es'}\n${body}\n`, 'plaintext');
  });

  register('pf.pfctl.addToTable', async (arg?: unknown) => {
    const name = await askTable(arg);
    if (name === undefined) return;
    const s = settings(output);
    const addrs = await askAddresses(`Add to <${name}> on ${s.target.remoteHost ?? 'this machine'}`, 'Addresses to add (IPv4/IPv6, optional /prefix), separated by spaces or commas');
    if (!addrs) return;
    const inv = addToTable(s.target, name, addrs);
    const r = await runner.run(inv, `pfctl: adding to <${name}>…`);
    if (succeeded(r)) void vscode.window.showInformationMessage(`<${name}> on ${inv.hostLabel}: ${summaryOf(r) || 'done'}`);
    else reportFailure(`Adding to <${name}>`, inv, r, output);
  });

  register('pf.pfctl.deleteFromTable', async (arg?: unknown) => {
    const name = await askTable(arg);
    if (name === undefined) return;
    const s = settings(output);
    // Offer the current contents; fall back to typing addresses.
    const listInv = showTable(s.target, name);
    const listed = await runner.run(listInv, `pfctl: reading <${name}>…`, { echoStdout: false });
    let addrs: string[] | undefined;
    if (succeeded(listed)) {
      const entries = parseTableShow(listed.stdout).filter((e) => !e.negated);
      if (entries.length === 0) {
        void vscode.window.showInformationMessage(`<${name}> on ${listInv.hostLabel} is empty.`);
        return;
      }
      const picked = await vscode.window.showQuickPick(
        entries.map((e) => e.address),
        { canPickMany: true, title: `Delete from <${name}> on ${listInv.hostLabel}` },
      );
      addrs = picked && picked.length > 0 ? picked : undefined;
    } else {
      addrs = await askAddresses(`Delete from <${name}>`, 'Addresses to delete, separated by spaces or commas');
    }
    if (!addrs) return;
    const inv = deleteFromTable(s.target, name, addrs);
    const r = await runner.run(inv, `pfctl: deleting from <${name}>…`);
    if (succeeded(r)) void vscode.window.showInformationMessage(`<${name}> on ${inv.hostLabel}: ${summaryOf(r) || 'done'}`);
    else reportFailure(`Deleting from <${name}>`, inv, r, output);
  });

  register('pf.pfctl.testTable', async (arg?: unknown) => {
    const name = await askTable(arg);
    if (name === undefined) return;
    const s = settings(output);
    const addrs = await askAddresses(`Test against <${name}>`, 'Addresses to test, separated by spaces or commas');
    if (!addrs) return;
    const inv = testTable(s.target, name, addrs);
    const r = await runner.run(inv, `pfctl: testing <${name}>…`);
    // pfctl exits 0 when every address matches, 2 when some do not.
    if (r.code === 0 || r.code === 2) {
      const msg = `<${name}> on ${inv.hostLabel}: ${summaryOf(r) || (r.code === 0 ? 'all addresses match' : 'not all addresses match')}`;
      if (r.code === 0) void vscode.window.showInformationMessage(msg);
      else void vscode.window.showWarningMessage(msg);
    } else reportFailure(`Testing <${name}>`, inv, r, output);
  });

  register('pf.pfctl.flushTable', async (arg?: unknown) => {
    const name = await askTable(arg);
    if (name === undefined) return;
    const s = settings(output);
    const inv = flushTable(s.target, name);
    const choice = await vscode.window.showWarningMessage(
      `Flush ALL addresses from table <${name}> on ${inv.hostLabel}?`,
      { modal: true, detail: inv.display },
      'Flush',
    );
    if (choice !== 'Flush') return;
    const r = await runner.run(inv, `pfctl: flushing <${name}>…`);
    if (succeeded(r)) void vscode.window.showInformationMessage(`<${name}> on ${inv.hostLabel}: ${summaryOf(r) || 'flushed'}`);
    else reportFailure(`Flushing <${name}>`, inv, r, output);
  });

  register('pf.pfctl.showTables', async () => {
    const s = settings(output);
    const inv = listTables(s.target);
    const r = await runner.run(inv, `pfctl: listing tables on ${inv.hostLabel}…`, { echoStdout: false });
    if (!succeeded(r)) return reportFailure('Listing tables', inv, r, output);
    const names = parseTableList(r.stdout);
    await docs.open(`tables (${inv.hostLabel})`, `${header(inv)}# ${names.length} table${names.length === 1 ? '' : 's'}\n${r.stdout}`, 'plaintext');
  });

  // ---------------------------------------------------------------- show

  const showCommand = (section: ShowSection, label: string) => async () => {
    const s = settings(output);
    const inv = show(s.target, section);
    const r = await runner.run(inv, `pfctl: ${label} on ${inv.hostLabel}…`, { echoStdout: false });
    if (!succeeded(r)) return reportFailure(`pfctl -s ${section}`, inv, r, output);
    const language = section === 'rules' || section === 'nat' ? 'pf' : 'plaintext';
    await docs.open(`${label} (${inv.hostLabel})`, header(inv) + r.stdout, language);
  };
  register('pf.pfctl.showRules', showCommand('rules', 'rules'));
  register('pf.pfctl.showNat', showCommand('nat', 'NAT rules'));
  register('pf.pfctl.showStates', showCommand('states', 'states'));
  register('pf.pfctl.showInfo', showCommand('info', 'info'));
  register('pf.pfctl.showLabels', showCommand('labels', 'labels'));
  register('pf.pfctl.showMemory', showCommand('memory', 'memory limits'));
  register('pf.pfctl.showTimeouts', showCommand('timeouts', 'timeouts'));

  const toggleCommand = (enable: boolean) => async () => {
    const s = settings(output);
    const inv = enable ? enablePf(s.target) : disablePf(s.target);
    const choice = await vscode.window.showWarningMessage(
      enable ? `Enable the packet filter on ${inv.hostLabel}?` : `Disable the packet filter on ${inv.hostLabel}?`,
      {
        modal: true,
        detail: (enable ? 'The loaded ruleset starts filtering immediately.' : 'All filtering and NAT stops until pf is enabled again.') + `\n\n${inv.display}`,
      },
      enable ? 'Enable pf' : 'Disable pf',
    );
    if (choice === undefined) return;
    const r = await runner.run(inv, `pfctl ${enable ? '-e' : '-d'} on ${inv.hostLabel}…`);
    if (succeeded(r)) void vscode.window.showInformationMessage(`${inv.hostLabel}: ${r.stderr.trim() || (enable ? 'pf enabled' : 'pf disabled')}`);
    else reportFailure(enable ? 'Enabling pf' : 'Disabling pf', inv, r, output);
  };
  register('pf.pfctl.enable', toggleCommand(true));
  register('pf.pfctl.disable', toggleCommand(false));

  // -------------------------------------------------------------- spamdb

  register('pf.spamdb.show', async () => {
    const s = settings(output);
    const inv = spamdbList(s.target);
    const r = await runner.run(inv, `spamdb on ${inv.hostLabel}…`, { echoStdout: false });
    if (!succeeded(r)) return reportFailure('spamdb', inv, r, output);
    const { entries, invalid } = parseSpamdb(r.stdout);
    const extra = invalid.length > 0 ? `\nUnrecognised lines (${invalid.length}):\n${invalid.map((l) => '  ' + l).join('\n')}\n` : '';
    await docs.open(`spamdb (${inv.hostLabel})`, header(inv) + '\n' + formatSpamdb(entries) + extra, 'plaintext');
  });

  const askIp = (title: string) =>
    vscode.window.showInputBox({
      title,
      prompt: 'Numerical IPv4 or IPv6 address',
      validateInput: (v) => {
        try {
          validateIp(v.trim());
          return undefined;
        } catch (e) {
          return errorText(e);
        }
      },
    });

  register('pf.spamdb.whitelistAdd', async (arg?: unknown) => {
    const s = settings(output);
    const ip = typeof arg === 'string' ? arg : (await askIp(`Whitelist in spamd on ${s.target.remoteHost ?? 'this machine'}`))?.trim();
    if (!ip) return;
    const inv = spamdbWhitelistAdd(s.target, ip);
    const r = await runner.run(inv, `spamdb -a ${ip}…`);
    if (succeeded(r)) void vscode.window.showInformationMessage(`${ip} is whitelisted in spamd on ${inv.hostLabel}.`);
    else reportFailure('spamdb -a', inv, r, output);
  });

  register('pf.spamdb.whitelistDelete', async (arg?: unknown) => {
    const s = settings(output);
    let ip = typeof arg === 'string' ? arg : undefined;
    if (!ip) {
      const listInv = spamdbList(s.target);
      const listed = await runner.run(listInv, `spamdb on ${listInv.hostLabel}…`, { echoStdout: false });
      const white = succeeded(listed) ? parseSpamdb(listed.stdout).entries.filter((e) => e.type === 'WHITE') : [];
      if (white.length > 0) {
        ip = await vscode.window.showQuickPick(
          white.map((e) => ('ip' in e ? e.ip : '')),
          { title: `Remove from the spamd whitelist on ${listInv.hostLabel}` },
        );
      } else ip = (await askIp(`Remove from the spamd whitelist on ${listInv.hostLabel}`))?.trim();
    }
    if (!ip) return;
    const inv = spamdbWhitelistDelete(s.target, ip);
    const r = await runner.run(inv, `spamdb -d ${ip}…`);
    if (succeeded(r)) void vscode.window.showInformationMessage(`${ip} was removed from the spamd database on ${inv.hostLabel}.`);
    else reportFailure('spamdb -d', inv, r, output);
  });

  // --------------------------------------------------------------- tasks

  context.subscriptions.push(vscode.tasks.registerTaskProvider(TASK_TYPE, new PfctlTaskProvider(output)));
}

// ------------------------------------------------------------------ tasks

class PfctlTaskProvider implements vscode.TaskProvider {
  constructor(private readonly output: vscode.OutputChannel) {}

  async provideTasks(): Promise<vscode.Task[]> {
    if (!vscode.workspace.isTrusted) return [];
    const files = new Map<string, vscode.Uri>();
    for (const d of vscode.workspace.textDocuments) {
      if (d.languageId === 'pf' && d.uri.scheme === 'file') files.set(d.uri.toString(), d.uri);
    }
    for (const u of await vscode.workspace.findFiles('**/pf.conf', '**/node_modules/**', 50)) files.set(u.toString(), u);
    const tasks: vscode.Task[] = [];
    for (const uri of files.values()) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) continue;
      const rel = path.relative(folder.uri.fsPath, uri.fsPath);
      const task = this.build({ type: TASK_TYPE, file: rel }, folder);
      if (task) tasks.push(task);
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const def = task.definition as PfctlTaskDefinition;
    if (def.type !== TASK_TYPE || typeof def.file !== 'string' || !vscode.workspace.isTrusted) return undefined;
    const scope = task.scope;
    return this.build(def, typeof scope === 'object' ? scope : undefined, task);
  }

  private build(def: PfctlTaskDefinition, folder: vscode.WorkspaceFolder | undefined, original?: vscode.Task): vscode.Task | undefined {
    const s = settings(this.output);
    const name = original?.name ?? `check ${def.file}${def.verbose ? ' (verbose)' : ''}`;
    const scope = folder ?? vscode.TaskScope.Workspace;
    let execution: vscode.ProcessExecution | vscode.CustomExecution;
    if (!s.target.remoteHost) {
      // Local: a plain process; pfctl prints the path it was given, the
      // problem matcher resolves relative ones against the folder.
      const inv = checkRules(s.target, { path: def.file }, { verbose: def.verbose });
      execution = new vscode.ProcessExecution(inv.file, inv.args, folder ? { cwd: folder.uri.fsPath } : undefined);
    } else {
      // Remote: the file is streamed on stdin, which ProcessExecution cannot
      // do, so a pseudoterminal runs it and rewrites pfctl's "stdin:" prefix
      // to the local path for the problem matcher.
      const target = s.target;
      execution = new vscode.CustomExecution(async (resolved) => {
        const file = String((resolved as PfctlTaskDefinition).file ?? def.file);
        const abs = path.isAbsolute(file) || !folder ? file : path.join(folder.uri.fsPath, file);
        return new RemoteCheckTerminal(target, abs, !!def.verbose);
      });
    }
    const task = new vscode.Task(def, scope, name, TASK_TYPE, execution, [PROBLEM_MATCHER]);
    task.group = vscode.TaskGroup.Build;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent };
    return task;
  }
}

class RemoteCheckTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private readonly ac = new AbortController();

  constructor(
    private readonly target: PfctlTarget,
    private readonly file: string,
    private readonly verbose: boolean,
  ) {}

  open(): void {
    void this.start();
  }

  close(): void {
    this.ac.abort();
  }

  private write(text: string): void {
    this.writer.fire(text.replace(/\r?\n/g, '\r\n'));
  }

  private async start(): Promise<void> {
    try {
      const content = await vscode.workspace.fs.readFile(vscode.Uri.file(this.file));
      const inv = checkRules(this.target, { content: Buffer.from(content) }, { verbose: this.verbose });
      this.write(`$ ${inv.display} < ${this.file}\n`);
      const r = await run(inv, { signal: this.ac.signal, timeoutMs: CHECK_TIMEOUT_MS });
      this.write(r.stdout);
      this.write(r.stderr.replace(/^stdin:(?=\d+:)/gm, `${this.file}:`));
      this.write(`[${describeExit(r)}]\n`);
      this.closer.fire(r.code ?? 1);
    } catch (e) {
      this.write(`${errorText(e)}\n`);
      this.closer.fire(1);
    }
  }
}

// -------------------------------------------------------------- code lens

const TABLE_LINE = /^\s*table\s+<([^<>\s]+)>/;

class TableCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted) return [];
    const lenses: vscode.CodeLens[] = [];
    for (let i = 0; i < doc.lineCount; i++) {
      const m = TABLE_LINE.exec(doc.lineAt(i).text);
      if (!m) continue;
      const range = new vscode.Range(i, 0, i, 0);
      const name = m[1];
      lenses.push(
        new vscode.CodeLens(range, { title: 'Show table', command: 'pf.pfctl.showTable', arguments: [name] }),
        new vscode.CodeLens(range, { title: 'Add…', command: 'pf.pfctl.addToTable', arguments: [name] }),
        new vscode.CodeLens(range, { title: 'Test…', command: 'pf.pfctl.testTable', arguments: [name] }),
      );
    }
    return lenses;
  }
}

/** Code lenses "Show table / Add… / Test…" above each `table <name>` line of pf documents. */
export function registerTableCodeLens(context: vscode.ExtensionContext): vscode.Disposable {
  const d = vscode.languages.registerCodeLensProvider({ language: 'pf' }, new TableCodeLensProvider());
  context.subscriptions.push(d);
  return d;
}
