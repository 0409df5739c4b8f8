// Status bar item for pf documents: the dialect in force (detected or set); click to change it.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

const DIALECTS = [
  { label: 'auto', description: 'Detect from the file (FreeBSD/macOS when old-style nat/rdr/scrub/altq is used)' },
  { label: 'openbsd', description: 'OpenBSD 7.x' },
  { label: 'freebsd', description: 'FreeBSD 14/15' },
  { label: 'macos', description: 'macOS' },
];

export class DialectStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pf.dialect', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.item.name = 'pf dialect';
    this.item.command = 'pf.selectDialect';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidSaveTextDocument(() => this.refresh()),
    );
    this.refresh();
  }

  async refresh(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'pf') {
      this.item.hide();
      return;
    }
    const answer = await this.client()?.sendRequest<{ name: string; setting: string } | null>('pf/dialect', {
      uri: editor.document.uri.toString(),
    }).catch(() => null);
    if (!answer) {
      this.item.hide();
      return;
    }
    this.item.text = `pf: ${answer.name}`;
    this.item.tooltip = answer.setting === 'auto'
      ? `pf dialect detected from the file: ${answer.name}. Click to choose one.`
      : `pf dialect set to ${answer.name} (pf.dialect). Click to change.`;
    this.item.show();
  }

  async pickDialect(): Promise<void> {
    const current = vscode.workspace.getConfiguration('pf').get<string>('dialect', 'auto');
    const pick = await vscode.window.showQuickPick(
      DIALECTS.map((d) => ({ ...d, picked: d.label === current })),
      { title: 'pf dialect for this workspace', placeHolder: `current: ${current}` },
    );
    if (!pick) return;
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('pf').update('dialect', pick.label, target);
  }

  dispose(): void {
    this.item.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }
}
