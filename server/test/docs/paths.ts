// Locations of the repository and of the shared reference material, found from the
// compiled test's directory (server/out/test/…) or the source tree alike.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root: the first ancestor (of this file, else of the working directory) holding server/scripts/gen-services.mjs. */
export function repoRoot(): string {
  if (process.env.PF_REPO_ROOT) return process.env.PF_REPO_ROOT;
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      if (existsSync(join(dir, 'server', 'scripts', 'gen-services.mjs'))) return dir;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error(`repository root not found above ${__dirname} or ${process.cwd()}`);
}

/** The shared reference folder next to the checkout (may be missing, e.g. in CI). */
export function sharedDir(): string {
  return process.env.PF_SHARED_DIR ?? resolve(repoRoot(), '..', 'shared');
}

/** A path under the shared folder, or undefined when it does not exist. */
export function shared(...parts: string[]): string | undefined {
  const p = join(sharedDir(), ...parts);
  return existsSync(p) ? p : undefined;
}
