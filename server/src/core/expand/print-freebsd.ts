/**
 * Printing expanded rules the way FreeBSD's `pfctl -nv` does (print_rule of
 * FreeBSD's pfctl_parser.c): `keep state` spelled out, ports by service name,
 * route-to before the address family, queues and tags after the label, and
 * the translation rules `nat`/`rdr`/`binat` with their `-> pool`, and `scrub`
 * rules ending in `fragment reassemble`.
 */
import { servicesByPort } from '../docs/services';
import type { PortSpec, RedirectOne, Rule } from './rule';
import { flagText, formatHost, opText } from './print';
import { icmpCodeText, icmpTypeText, protoName, unreachText } from './names';

/** The rule kinds FreeBSD keeps in separate rulesets, in the order `pfctl -nv` prints them. */
export const FREEBSD_RULESETS = ['scrub', 'nat', 'rdr', 'binat', 'filter'] as const;
export type FreeBSDRuleset = (typeof FREEBSD_RULESETS)[number];

export function rulesetOf(r: { action: Rule['action']; anchorType?: Rule['anchorType'] }): FreeBSDRuleset {
  if (r.action === 'anchor') return r.anchorType ?? 'filter';
  if (r.action === 'scrub' || r.action === 'nat' || r.action === 'rdr' || r.action === 'binat') return r.action;
  return 'filter';
}

/** FreeBSD's getservbyport over its own services file, as print_port uses it for `=` and `!=`. */
function portText(p: PortSpec, proto: number | undefined): string {
  if (p.op === '=' || p.op === '!=') {
    const name = servicesByPort(p.a, proto === 6 ? 'tcp' : 'udp', 'freebsd')[0]?.name;
    if (name) return `${p.op} ${name}`;
  }
  return opText(p, ' ');
}

const PFTM_ORDER = [
  'tcp.first', 'tcp.opening', 'tcp.established', 'tcp.closing', 'tcp.finwait', 'tcp.closed', 'udp.first',
  'udp.single', 'udp.multiple', 'icmp.first', 'icmp.error', 'other.first', 'other.single', 'other.multiple',
  'frag', 'interval', 'adaptive.start', 'adaptive.end', 'src.track', 'tcp.tsdiff',
];
const STATE_ORDER = ['max', 'no-sync', 'source-track', 'max-src-states', 'max-src-conn', 'max-src-conn-rate', 'max-src-nodes', 'overload', 'if-bound', 'sloppy'];

function stateOpts(r: Rule): string {
  const opts = r.state?.opts ?? [];
  const rank = (k: string) => (STATE_ORDER.includes(k) ? STATE_ORDER.indexOf(k) : 100 + PFTM_ORDER.indexOf(k));
  const shown = opts.filter((o) => STATE_ORDER.includes(o.key) || PFTM_ORDER.includes(o.key));
  if (!shown.length) return '';
  const parts = [...shown].sort((a, b) => rank(a.key) - rank(b.key)).map((o) => (o.value === undefined ? o.key : `${o.key} ${o.value}`));
  return ` (${parts.join(', ')})`;
}

function poolText(r: Rule, p: RedirectOne): string {
  const hosts = p.list ?? (p.host ? [p.host] : []);
  let s = hosts.length > 1 ? `{ ${hosts.map(formatHost).join(', ')} }` : p.table ? `<${p.table}>` : hosts.map(formatHost).join('');
  const port = p.port;
  if (r.action === 'nat' && port && !p.opts.staticPort) {
    const hi = port.op === ':' ? port.b! : port.a;
    s += port.a === hi ? ` port ${port.a}` : ` port ${port.a}:${hi}`;
  } else if (r.action === 'rdr' && port && port.a) {
    s += ` port ${port.a}`;
    if (port.op === ':' && port.b && port.b !== port.a) s += `:${port.b}`;
  }
  let type = p.opts.type;
  const dynMulti = hosts.length === 1 && hosts[0].kind === 'dynamic' && !/:0$/.test(hosts[0].name ?? '');
  if (!type && r.action !== 'binat' && (hosts.length > 1 || p.table || hosts[0]?.kind === 'table' || dynMulti)) type = 'round-robin';
  if (type === 'source-hash') s += ` source-hash${p.opts.key ? ` ${p.opts.key}` : ''}`;
  else if (type) s += ` ${type}`;
  if (p.opts.sticky) s += ' sticky-address';
  if (r.action === 'nat' && p.opts.staticPort) s += ' static-port';
  return s;
}

function head(r: Rule): string {
  if (r.action === 'anchor') {
    const kind = r.anchorType && r.anchorType !== 'scrub' ? `${r.anchorType}-anchor` : 'anchor';
    return r.anchorName && !r.anchorName.startsWith('_') ? `${kind} "${r.anchorName}"` : kind;
  }
  let s = `${r.no ? 'no ' : ''}${r.action}`;
  if (r.natPass) s += ' pass';
  if (r.action === 'block' && r.ret) {
    const ret = r.ret;
    if (ret.kind === 'return-rst') s += ret.ttl ? ` return-rst(ttl ${ret.ttl})` : ' return-rst';
    else if (ret.kind === 'return-icmp' || ret.kind === 'return-icmp6') {
      const c4 = unreachText(ret.icmp4 ?? 3, false);
      const c6 = unreachText(ret.icmp6 ?? 4, true);
      if (r.af === 'inet') s += ` return-icmp(${c4})`;
      else if (r.af === 'inet6') s += ` return-icmp6(${c6})`;
      else s += ` return-icmp(${c4}, ${c6})`;
    } else s += ` ${ret.kind}`;
  }
  return s;
}

export function printRuleFreeBSD(r: Rule, indent = ''): string {
  const isAnchor = r.action === 'anchor';
  let s = head(r);
  if (r.dir) s += ` ${r.dir}`;
  if (r.log) {
    const opts = r.log.filter((o) => o === 'all' || o === 'user' || o.startsWith('to '));
    s += opts.length ? ` log (${opts.join(', ')})` : ' log';
  }
  if (r.quick) s += ' quick';
  if (r.ifname) s += ` on ${r.ifname.neg ? '! ' : ''}${r.ifname.name}`;
  if (r.routeOne) s += ` ${r.routeOne.kind} ${routeText(r.routeOne.pool)}`;
  if (r.af) s += ` ${r.af}`;
  if (r.proto !== undefined) s += ` proto ${protoName(r.proto, 'freebsd')}`;
  const srcAny = r.src.kind === 'any' && !r.src.neg && !r.srcPort && !r.os;
  const dstAny = r.dst.kind === 'any' && !r.dst.neg && !r.dstPort;
  if (srcAny && dstAny) s += ' all';
  else {
    s += ` from ${formatHost(r.src)}`;
    if (r.srcPort) s += ` port ${portText(r.srcPort, r.proto)}`;
    if (r.os) s += ` os "${r.os}"`;
    s += ` to ${formatHost(r.dst)}`;
    if (r.dstPort) s += ` port ${portText(r.dstPort, r.proto)}`;
  }
  if (r.user) s += ` user ${opText(r.user, ' ')}`;
  if (r.group) s += ` group ${opText(r.group, ' ')}`;
  const pass = r.action === 'pass';
  const keep = pass && r.state?.kind !== 'no';
  const tcpish = r.proto === undefined || r.proto === 6;
  if (r.flags && (r.flags.set || r.flags.mask)) s += ` flags ${flagText(r.flags.set)}/${flagText(r.flags.mask)}`;
  else if (pass && keep && tcpish && !r.fragment) s += r.flagsAny ? ' flags any' : ' flags S/SA';
  if (r.icmpOne) {
    const v6 = r.icmpOne.v6;
    s += ` ${v6 ? 'icmp6-type' : 'icmp-type'} ${icmpTypeText(r.icmpOne.type, v6)}`;
    if (r.icmpOne.code !== undefined) s += ` code ${icmpCodeText(r.icmpOne.type, r.icmpOne.code, v6)}`;
  }
  if (r.tos !== undefined) s += ` tos 0x${hex2(r.tos)}`;
  if (r.prio) s += ` prio ${r.prio[0]}`;
  if (r.setPrio) s += r.setPrio.length === 1 || r.setPrio[0] === r.setPrio[1] ? ` set ( prio ${r.setPrio[0]} )` : ` set ( prio(${r.setPrio[0]}, ${r.setPrio[1]}) )`;
  if (pass && r.state?.kind === 'no' && !isAnchor) s += ' no state';
  else if (!isAnchor && (keep || (r.state && r.state.kind !== 'no'))) s += ` ${r.state?.kind ?? 'keep'} state`;
  if (r.probability) s += ` probability ${r.probability}`;
  s += stateOpts(r);
  if (r.fragment) s += ' fragment';
  const sc = r.scrub;
  if (sc?.noDf) s += ' no-df';
  if (sc?.randomId) s += ' random-id';
  if (sc?.minTtl) s += ` min-ttl ${sc.minTtl}`;
  if (sc?.maxMss) s += ` max-mss ${sc.maxMss}`;
  const setTos = sc?.setTos ?? r.setTos;
  if (setTos !== undefined) s += ` set-tos 0x${hex2(setTos)}`;
  if (r.allowOpts) s += ' allow-opts';
  if (r.action === 'scrub' && !r.no) s += `${sc?.reassembleTcp ? ' reassemble tcp' : ''} fragment reassemble`;
  if (r.label) s += ` label "${r.label}"`;
  if (r.setQueue) s += r.setQueue.length > 1 ? ` queue(${r.setQueue[0]}, ${r.setQueue[1]})` : ` queue ${r.setQueue[0]}`;
  if (r.tag) s += ` tag ${r.tag}`;
  if (r.tagged) s += `${r.tagged.neg ? ' !' : ''} tagged ${r.tagged.name}`;
  if (r.rtable !== undefined) s += ` rtable ${r.rtable}`;
  if (r.divertTo) s += ` divert-to ${r.divertTo.port}`;
  if (r.poolOne && !isAnchor) s += ` -> ${poolText(r, r.poolOne)}`;
  return indent + s;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** route-to pools: `em1`, `(em1 192.0.2.1)`. */
function routeText(p: RedirectOne): string {
  const hosts = p.list ?? (p.host ? [p.host] : []);
  const one = (h: (typeof hosts)[number]) => (h.kind === 'ifname' || h.kind === 'dynamic' ? h.name ?? '' : formatHost(h));
  return hosts.length > 1 ? `{ ${hosts.map(one).join(', ')} }` : hosts.map(one).join('') || (p.table ? `<${p.table}>` : '');
}
