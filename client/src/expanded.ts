// "Show expanded ruleset": the rules pfctl -nv would load, computed by the language server (no BSD
// needed), in a read-only pf document that follows the source file on save.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

const SCHEME = 'pf-expanded';

interface Expanded {
  stdout: string;
  stderr: string;
  exitCode: number;
  dialect: string;
}

export function registerExpandedRuleset(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const open = new Set<string>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    async provideTextDocumentContent(uri) {
      const source = uri.query;
      const result = await client()?.sendRequest<Expanded | null>('pf/expandedRuleset', { uri: source });
      if (!result) return '# The language server could not expand this file.\n';
      const header = [`# Rules as \`pfctl -o none -nv\` would print them, computed without pfctl (${result.dialect} dialect).`];
      if (result.dialect !== 'openbsd') header.push('# Only OpenBSD syntax is expanded so far; old-style FreeBSD/macOS statements are reported as errors below.');
      const errors = result.stderr.trim() ? result.stderr.trim().split('\n').map((l) => `# error: ${l}`) : [];
      return [...header, ...errors, '', result.stdout].join('\n');
    },
  };
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    vscode.commands.registerCommand('pf.showExpandedRuleset', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== 'pf') {
        void vscode.window.showInformationMessage('Open a pf.conf file to see its expanded ruleset.');
        return;
      }
      const source = editor.document.uri.toString();
      const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${editor.document.uri.path.split('/').pop()} (expanded)`, query: source });
      open.add(uri.toString());
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'pf');
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }),
    vscode.workspace.onDidSaveTextDocument((saved) => {
      for (const u of open) {
        const uri = vscode.Uri.parse(u);
        if (uri.query === saved.uri.toString()) changed.fire(uri);
      }
    }),
    vscode.workspace.onDidCloseTextDocument((d) => open.delete(d.uri.toString())),
  );
}
