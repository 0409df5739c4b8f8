// Which language a file is, by its name — editors open rc.conf as shell and spamd.conf as
// plain text, so the server decides from the path, whatever language id the client sent.
import { basename } from 'path';
import { isRcConfPath } from './spamd/rcconf';

export type FileKind = 'pf' | 'spamd-conf' | 'rc-conf';

export function fileKind(path: string, languageId?: string): FileKind {
  const name = basename(path);
  if (name === 'spamd.conf' || languageId === 'spamd-conf') return 'spamd-conf';
  if (isRcConfPath(path)) return 'rc-conf';
  return 'pf';
}
