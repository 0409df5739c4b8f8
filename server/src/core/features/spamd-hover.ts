// spamd knowledge for pf.conf hovers: the tables spamd and spamlogd fill, and its ports.
import { spamdPortDoc, spamdTableDoc } from '../docs/spamd';

export function spamdHover(what: { kind: 'table' | 'port'; name: string }): string | undefined {
  return what.kind === 'table' ? spamdTableDoc(what.name) : spamdPortDoc(/^\d+$/.test(what.name) ? Number(what.name) : what.name);
}
