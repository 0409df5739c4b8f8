// FileSystem over node's fs, with the error messages a user needs (directory, permission, missing).
import { readFileSync, statSync } from 'fs';
import type { FileSystem } from './workspace';

export const nodeFileSystem: FileSystem = {
  readFile(path) {
    try {
      if (statSync(path).isDirectory()) return { error: 'is a directory' };
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
