#!/usr/bin/env node
// pf-language-server: the LSP server for any editor. `--stdio` for Neovim/Helix/Emacs,
// `--node-ipc` when VS Code starts it (vscode-languageserver reads the transport from argv).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../lsp/server';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write('usage: pf-language-server --stdio | --node-ipc | --socket=PORT\n');
  process.exit(0);
}
if (process.argv.includes('--version')) {
  process.stdout.write('pf-language-server 0.1.0\n');
  process.exit(0);
}

const connection = createConnection(ProposedFeatures.all);
// Keep stdout clean for the protocol when running over stdio.
console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
process.on('uncaughtException', (err) => connection.console.error(`uncaught: ${err.stack ?? err}`));
process.on('unhandledRejection', (err) => connection.console.error(`unhandled rejection: ${(err as Error)?.stack ?? err}`));

startServer(connection).catch((err) => {
  process.stderr.write(`pf-language-server: cannot start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
