// The VS Code extension: starts the language server, shows the dialect in the status bar and
// registers the commands. Logic lives in the server and in ./pfctl; this file only wires.
import * as path from 'path';
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, LanguageClient, TransportKind,
  type ErrorHandler, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { registerPfctlCommands, registerTableCodeLens } from './pfctl/commands';
import { DialectStatus } from './status';
import { registerExpandedRuleset } from './expanded';

let client: LanguageClient | undefined;

/** Files the server handles: pf and spamd.conf by language, rc.conf by name (editors call it shell). */
export const DOCUMENT_SELECTOR = [
  { language: 'pf' },
  { language: 'spamd-conf' },
  { scheme: 'file', pattern: '**/rc.conf' },
  { scheme: 'file', pattern: '**/rc.conf.local' },
  { scheme: 'file', pattern: '**/rc.conf.d/*' },
];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('pf Language Server', { log: true });
  context.subscriptions.push(output);

  client = createClient(context, output);
  await client.start();

  const status = new DialectStatus(() => client);
  context.subscriptions.push(status);

  context.subscriptions.push(
    vscode.commands.registerCommand('pf.restartServer', async () => {
      output.appendLine('Restarting the pf language server on request.');
      await client?.restart();
      status.refresh();
    }),
    vscode.commands.registerCommand('pf.selectDialect', () => status.pickDialect()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('pf.dialect')) setTimeout(() => status.refresh(), 300);
    }),
  );

  const pfctlOutput = vscode.window.createOutputChannel('pfctl');
  const pfctlDiagnostics = vscode.languages.createDiagnosticCollection('pfctl');
  context.subscriptions.push(pfctlOutput, pfctlDiagnostics);
  registerPfctlCommands(context, { output: pfctlOutput, diagnostics: pfctlDiagnostics });
  registerTableCodeLens(context);
  registerExpandedRuleset(context, () => client);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const config = vscode.workspace.getConfiguration('pf');
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    initializationOptions: {
      dialect: config.get('dialect'),
      externalTables: config.get('externalTables'),
      diagnosticsDelay: config.get('diagnosticsDelay'),
      commandLinks: true,
    },
    // Table hovers link to the pfctl table commands (which refuse to run in untrusted workspaces).
    markdown: { isTrusted: { enabledCommands: ['pf.pfctl.showTable', 'pf.pfctl.testTable', 'pf.pfctl.addToTable'] } },
    // Included files and table files change on disk too: tell the server so it re-reads them.
    synchronize: {
      configurationSection: 'pf',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{pf.conf,pf.conf.*,*.pf,*.pf.conf,pf.rules,*.conf,*.include}'),
    },
    errorHandler: restartingErrorHandler(output),
  };
  return new LanguageClient('pf', 'pf Language Server', serverOptions, clientOptions);
}

/** Restart a crashed server (with a message), but stop after repeated crashes in a short time. */
function restartingErrorHandler(output: vscode.LogOutputChannel): ErrorHandler {
  const crashes: number[] = [];
  return {
    error: () => ({ action: ErrorAction.Continue }),
    closed: () => {
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && now - crashes[0] > 3 * 60_000) crashes.shift();
      if (crashes.length > 4) {
        const message = 'The pf language server crashed 5 times in 3 minutes and will not be restarted. Use "pf: Restart Language Server" after fixing the cause (see the output channel).';
        output.appendLine(message);
        void vscode.window.showErrorMessage(message);
        return { action: CloseAction.DoNotRestart };
      }
      const message = 'The pf language server stopped unexpectedly and is being restarted.';
      output.appendLine(message);
      void vscode.window.showWarningMessage(message);
      return { action: CloseAction.Restart };
    },
  };
}
