// A real LSP client for tests: starts the real server (`pf-language-server --stdio`) as a child
// process and talks JSON-RPC to it, as Neovim or Helix would.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  type Diagnostic, type ProtocolConnection, type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export const SERVER = join(__dirname, '..', '..', '..', 'server', 'out', 'src', 'bin', 'pf-language-server.js');

export function uriOf(path: string): string {
  return pathToFileURL(path).toString();
}

export class LspClient {
  private readonly versions = new Map<string, number>();
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: { uri: string; version?: number; resolve: (d: Diagnostic[]) => void; reject: (e: Error) => void }[] = [];
  private stderr = '';
  readonly logs: string[] = [];

  private constructor(readonly connection: ProtocolConnection, readonly process: ChildProcess) {
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.latest.set(p.uri, p);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p.diagnostics);
        }
      }
    });
    // A server that dies fails every pending wait with its own last words, instead of hanging.
    process.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.exited = new Promise((_, reject) => {
      process.on('exit', (code, signal) => {
        const err = new Error(`language server exited (code ${code}, signal ${signal}): ${this.stderr}`);
        for (const w of this.waiters.splice(0)) w.reject(err);
        reject(err);
      });
    });
    this.exited.catch(() => undefined);
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
  }

  settings: Record<string, unknown> = { diagnosticsDelay: 0 };
  /** Rejects when the server process ends (requests race against it). */
  private exited!: Promise<never>;
  initializeResult: unknown;

  static async start(opts: { root?: string; settings?: Record<string, unknown>; server?: string } = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [opts.server ?? SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(connection, child);
    if (opts.settings) client.settings = { ...client.settings, ...opts.settings };
    connection.listen();
    client.initializeResult = await client.race(connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: opts.root ? uriOf(opts.root) : null,
      workspaceFolders: opts.root ? [{ uri: uriOf(opts.root), name: 'ws' }] : null,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
      initializationOptions: client.settings,
    }));
    await connection.sendNotification('initialized', {});
    return client;
  }

  open(path: string, text: string, languageId = 'pf'): string {
    const uri = uriOf(path);
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  change(uri: string, changes: TextDocumentContentChangeEvent[]): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Diagnostics published for the document's current version (waits for them). */
  diagnostics(uri: string, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const version = this.versions.get(uri);
    const have = this.latest.get(uri);
    if (have && (version === undefined || have.version === version)) return Promise.resolve(have.diagnostics);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        uri, version,
        resolve: (d) => { clearTimeout(timer); resolve(d); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
    });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.race(this.connection.sendRequest(method, params) as Promise<R>);
  }

  private race<R>(p: Promise<R>): Promise<R> {
    return Promise.race([p, this.exited]);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.connection.sendNotification('exit');
    } catch {
      // the server may already be gone
    }
    this.connection.dispose();
    if (this.process.exitCode === null) this.process.kill();
  }
}

export function positionOf(text: string, needle: string, occurrence = 0, delta = 0): { line: number; character: number } {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) offset = text.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`'${needle}' not found`);
  offset += delta;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}
