// FileSystem over node's fs, with the error messages a user needs (directory, permission, missing).
import { readFileSync, statSync } from 'fs';
import { MAX_ANALYSIS_BYTES } from './document';
import type { FileSystem } from './workspace';

export const nodeFileSystem: FileSystem = {
  readFile(path) {
    try {
      const st = statSync(path);
      if (st.isDirectory()) return { error: 'is a directory' };
      // Devices and FIFOs (/dev/zero, a named pipe) would never end or block: not rulesets.
      if (!st.isFile()) return { error: 'not a regular file' };
      // Read anything a parse may decline with a diagnostic; refuse only what would exhaust memory.
      if (st.size > MAX_ANALYSIS_BYTES * 64) return { error: `too large (${(st.size / 1048576).toFixed(0)} MiB)` };
      return { text: decodeText(readFileSync(path)) };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT') return { error: 'No such file or directory' };
      if (e.code === 'EACCES' || e.code === 'EPERM') return { error: 'Permission denied' };
      return { error: e.message };
    }
  },
};

/** UTF-8, falling back to Latin-1 for old files that are not valid UTF-8 (no text is lost). */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}
