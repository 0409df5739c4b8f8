/** Printing expanded rules exactly as `pfctl -o none -nv` prints them. */
import { formatAddr, maxBits } from './addr';
import type { HostOne, PortSpec, RedirectOne, Rule } from './rule';
import { icmpCodeText, icmpTypeText, protoName, unreachText } from './names';

export function formatHost(h: HostOne): string {
  const neg = h.neg ? '! ' : '';
  switch (h.kind) {
    case 'any':
      return `${neg}any`;
    case 'no-route':
      return `${neg}no-route`;
    case 'urpf-failed':
      return `${neg}urpf-failed`;
    case 'self':
      return `${neg}self`;
    case 'route':
      return `${neg}route "${h.name}"`;
    case 'table':
      return `${neg}<${h.name}>`;
    case 'dynamic':
      return `${neg}(${h.name})${h.bits !== undefined ? `/${h.bits}` : ''}`;
    case 'range':
      return `${neg}${formatAddr(h.addr!)} - ${formatAddr(h.addr2!)}`;
    default: {
      if (!h.addr) return `${neg}${h.name}`;
      const s = formatAddr(h.addr);
      return h.bits === maxBits(h.addr.af) ? `${neg}${s}` : `${neg}${s}/${h.bits}`;
    }
  }
}

export function opText(p: PortSpec, sep: string): string {
  switch (p.op) {
    case ':':
      return `${p.a}:${p.b}`;
    case '><':
    case '<>':
      return `${p.a}${sep}${p.op}${sep}${p.b}`;
    default:
      return `${p.op}${sep}${p.a}`;
  }
}

export function formatPort(p: PortSpec): string {
  return opText(p, ' ');
}

export function formatPortLabel(p: PortSpec): string {
  if (p.op === ':') return '';
  if (p.op === '=') return String(p.a);
  return opText(p, '');
}

const FLAG_ORDER = 'FSRPAUEW';
export function flagText(v: number): string {
  let s = '';
  for (let i = 0; i < 8; i++) if (v & (1 << i)) s += FLAG_ORDER[i];
  return s;
}

function poolText(kind: string, p: RedirectOne): string {
  let s = ` ${kind} `;
  if (p.table) s += `<${p.table}>`;
  else if (p.host) s += formatHost(p.host);
  if (p.port) {
    if (p.port.op === ':' && p.port.b !== p.port.a && !p.port.star) s += ` port ${p.port.a}:${p.port.b}`;
    else s += ` port ${p.port.a}`;
  }
  let type = p.opts.type;
  const multi = !!p.table || (p.host?.kind === 'dynamic' && !/:0$/.test(p.host.name ?? '')) || p.host?.kind === 'table';
  if (!type && multi && !p.opts.noDefault) type = 'round-robin';
  if (type === 'source-hash') s += ` source-hash${p.opts.key ? ` ${p.opts.key}` : ''}`;
  else if (type) s += ` ${type}`;
  if (p.opts.sticky) s += ' sticky-address';
  if (p.opts.staticPort && kind === 'nat-to') s += ' static-port';
  return s;
}

export function printRule(r: Rule, os: 'openbsd' | 'freebsd', indent = ''): string {
  let s = r.action === 'anchor' ? (r.anchorName ? `anchor "${r.anchorName}"` : 'anchor') : r.action;
  if (r.action === 'block' && r.ret) {
    switch (r.ret.kind) {
      case 'drop':
        s += ' drop';
        break;
      case 'return':
        s += ' return';
        break;
      case 'return-rst':
        s += ' return-rst';
        if (r.ret.ttl !== undefined) s += `(ttl ${r.ret.ttl})`;
        break;
      case 'return-icmp': {
        const c4 = r.ret.icmp4 ?? 3;
        s += `return-icmp(${unreachText(c4, false)}`.replace(/^/, ' ');
        if (r.ret.icmp6 !== undefined || r.af === undefined) {
          if (r.af === undefined) s += `, ${unreachText(r.ret.icmp6 ?? 4, true)}`;
        }
        s += ')';
        break;
      }
      case 'return-icmp6':
        s += ` return-icmp6(${unreachText(r.ret.icmp6 ?? 4, true)})`;
        break;
    }
  }
  if (r.dir) s += ` ${r.dir}`;
  if (r.log) s += r.log.length ? ` log (${r.log.join(', ')})` : ' log';
  if (r.quick) s += ' quick';
  if (r.ifname) s += ` on ${r.ifname.neg ? '! ' : ''}${r.ifname.name}`;
  if (r.af) s += ` ${r.af}`;
  if (r.proto !== undefined) s += ` proto ${protoName(r.proto, os)}`;
  const srcAny = r.src.kind === 'any' && !r.src.neg && !r.srcPort && !r.os;
  const dstAny = r.dst.kind === 'any' && !r.dst.neg && !r.dstPort;
  if (srcAny && dstAny) s += ' all';
  else {
    s += ` from ${formatHost(r.src)}`;
    if (r.srcPort) s += ` port ${formatPort(r.srcPort)}`;
    if (r.os) s += ` os "${r.os}"`;
    s += ` to ${formatHost(r.dst)}`;
    if (r.dstPort) s += ` port ${formatPort(r.dstPort)}`;
  }
  if (r.user) s += ` user ${formatPort(r.user)}`;
  if (r.group) s += ` group ${formatPort(r.group)}`;
  const keep = r.action === 'pass' && (!r.state || r.state.kind !== 'no');
  if (r.flags && (r.flags.set || r.flags.mask)) s += ` flags ${flagText(r.flags.set)}/${flagText(r.flags.mask)}`;
  else if (r.action === 'pass' && keep && (r.proto === undefined || r.proto === 6) && !r.fragment) {
    if (r.flagsAny) s += ' flags any';
    else s += ' flags S/SA';
  }
  if (r.icmpOne) {
    const v6 = r.icmpOne.v6;
    s += ` ${v6 ? 'icmp6-type' : 'icmp-type'} ${icmpTypeText(r.icmpOne.type, v6)}`;
    if (r.icmpOne.code !== undefined) s += ` code ${icmpCodeText(r.icmpOne.type, r.icmpOne.code, v6)}`;
  }
  if (r.tos !== undefined) s += ` tos 0x${r.tos.toString(16).padStart(2, '0')}`;
  if (r.action === 'pass' || r.action === 'match' || r.action === 'block') {
    const st = r.state;
    if (r.action === 'pass' && st?.kind === 'no') s += ' no state';
    else if (st && st.kind !== 'no' && (st.kind !== 'keep' || st.opts.length)) {
      s += ` ${st.kind} state`;
      if (st.opts.length) {
        const opts = st.opts.map((o) => (o.value === undefined ? o.key : `${o.key} ${o.value}`));
        const max = st.opts.find((o) => o.key === 'max');
        if (max && !st.opts.some((o) => o.key === 'adaptive.start')) {
          const m = Number(max.value);
          opts.push(`adaptive.start ${Math.floor((m * 6) / 10)}`, `adaptive.end ${Math.floor((m * 12) / 10)}`);
        }
        s += ` (${opts.join(', ')})`;
      }
    }
  }
  if (r.fragment) s += ' fragment';
  if (r.scrub) {
    const parts: string[] = [];
    if (r.scrub.noDf) parts.push('no-df');
    if (r.scrub.randomId) parts.push('random-id');
    if (r.scrub.minTtl !== undefined) parts.push(`min-ttl ${r.scrub.minTtl}`);
    if (r.scrub.reassembleTcp) parts.push('reassemble tcp');
    if (r.scrub.maxMss !== undefined) parts.push(`max-mss ${r.scrub.maxMss}`);
    s += ` scrub (${parts.join(' ')})`;
  }
  const sets: string[] = [];
  if (r.setPrio) sets.push(r.setPrio.length === 1 ? `prio ${r.setPrio[0]}` : `prio(${r.setPrio.join(', ')})`);
  if (r.setQueue) sets.push(r.setQueue.length === 1 ? `queue ${r.setQueue[0]}` : `queue(${r.setQueue.join(', ')})`);
  if (r.setTos !== undefined) sets.push(`tos 0x${r.setTos.toString(16).padStart(2, '0')}`);
  if (sets.length) s += ` set (${sets.join(', ')})`;
  if (r.allowOpts) s += ' allow-opts';
  if (r.label) s += ` label "${r.label}"`;
  if (r.once) s += ' once';
  if (r.tag) s += ` tag ${r.tag}`;
  if (r.tagged) s += ` ${r.tagged.neg ? '! ' : ''}tagged ${r.tagged.name}`;
  if (r.rtable !== undefined) s += ` rtable ${r.rtable}`;
  if (r.divertTo) s += ` divert-to ${r.divertTo.host} port ${r.divertTo.port}`;
  if (r.divertReply) s += ' divert-reply';
  if (r.afTo) {
    if (r.natOne) s += poolText(`af-to ${r.afTo.af} from`, r.natOne);
    if (r.rdrOne) s += poolText('to', r.rdrOne);
  } else {
    if (r.natOne) s += poolText('nat-to', r.natOne);
    if (r.rdrOne) s += poolText('rdr-to', r.rdrOne);
  }
  if (r.routeOne) s += poolText(r.routeOne.kind, r.routeOne.pool);
  if (r.probability) s += ` probability ${r.probability}`;
  return indent + s;
}
