/**
 * Test helpers: locate the stand-in tools in test/fake-bin (see the header of
 * each: they stand in for pfctl/spamdb/ssh/sudo/doas, which a Linux machine
 * does not have) and give every test its own state directory.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { PfctlTarget, Privilege } from '../../src/pfctl/argv';

/** client/out/test/pfctl -> repository root -> test/fake-bin */
export const FAKE_BIN = path.resolve(__dirname, '../../../../test/fake-bin');

export interface Fake {
  state: string;
  env: NodeJS.ProcessEnv;
  target(opts?: { privilege?: Privilege; remoteHost?: string }): PfctlTarget;
  argvLog(): { tool: string; argv: string[] }[];
  pfState(): { enabled: boolean; rulesets: Record<string, { source: string; filter: string[]; nat: string[]; options: string[] }>; tables: Record<string, { addresses: string[] }> };
  cleanup(): void;
}

export function makeFake(): Fake {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-pf-'));
  const env = { ...process.env, FAKE_PF_STATE: state, PATH: `${FAKE_BIN}${path.delimiter}${process.env.PATH ?? ''}` };
  return {
    state,
    env,
    target: (opts = {}) => ({
      pfctlPath: path.join(FAKE_BIN, 'pfctl'),
      spamdbPath: path.join(FAKE_BIN, 'spamdb'),
      sshPath: path.join(FAKE_BIN, 'ssh'),
      privilege: opts.privilege ?? 'none',
      remoteHost: opts.remoteHost,
    }),
    argvLog: () => {
      const f = path.join(state, 'argv.log');
      if (!fs.existsSync(f)) return [];
      return fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l));
    },
    pfState: () => JSON.parse(fs.readFileSync(path.join(state, 'state.json'), 'utf8')),
    cleanup: () => fs.rmSync(state, { recursive: true, force: true }),
  };
}

export function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 8).padEnd(6, 'x');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Poll until `fn` returns true or `ms` pass. */
export async function waitFor(fn: () => boolean, ms: number, step = 100): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (fn()) return true;
    await sleep(step);
  }
  return fn();
}
