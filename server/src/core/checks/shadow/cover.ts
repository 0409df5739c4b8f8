// Coverage between two expanded rules: does rule C match every packet rule R matches?
// `true` only when that is certain from the rules' text; whatever is not modelled exactly
// makes the answer `false`. The criteria follow pf's rule matching (pf.conf(5), PACKET
// FILTERING): interface, direction, address family, protocol, addresses, ports, TCP flags,
// ICMP type/code, user/group, tos, fragment, tagged, received-on, os, prio, probability,
// once, max-pkt-rate. Everything else on a rule is an action and does not affect matching.
import type { HostOne, PortSpec, Rule } from '../../expand/rule';

/** Rule fields that are actions (or pfctl bookkeeping) and never restrict which packets match. */
const ACTION_KEYS = new Set([
  'line', 'action', 'anchorName', 'anchorBody', 'ret', 'log', 'quick', 'protoNames', 'allowOpts', 'label', 'tag',
  'setPrio', 'setTos', 'setQueue', 'scrub', 'rtable', 'divertTo', 'divertReply', 'divertPacket', 'antispoof',
  'natOne', 'rdrOne', 'routeOne', 'nr', 'nat', 'rdr', 'binat', 'route',
  // list forms of the spec, copied onto each expanded rule; the one-element forms below are used
  'ifs', 'protos', 'from', 'to', 'fromPorts', 'toPorts', 'users', 'groups', 'icmp',
]);

/** Matching criteria this module models (each handled in `covers`). */
const CRITERIA_KEYS = new Set([
  'dir', 'ifname', 'af', 'proto', 'src', 'dst', 'srcPort', 'dstPort', 'os', 'user', 'group', 'flags', 'flagsAny',
  'icmpOne', 'tos', 'fragment', 'tagged', 'rcvIf', 'prio', 'probability', 'once', 'maxPktRate', 'state', 'extra',
]);

/** A field neither list knows (a newer engine): its rule takes part in no claim. */
export function hasUnknownField(r: Rule): boolean {
  for (const [k, v] of Object.entries(r)) {
    if (v === undefined || ACTION_KEYS.has(k) || CRITERIA_KEYS.has(k)) continue;
    return true;
  }
  return (r.extra?.length ?? 0) > 0;
}

// ---------------------------------------------------------------- ports

type Intervals = [number, number][];
const PORT_MAX = 65535;

/** The ports a port comparison accepts, as sorted, merged, non-empty intervals. */
export function portIntervals(p: PortSpec): Intervals | undefined {
  if (p.unresolved !== undefined || p.star) return undefined;
  const a = p.a;
  const b = p.b;
  let raw: Intervals;
  switch (p.op) {
    case '=': raw = [[a, a]]; break;
    case '!=': raw = [[0, a - 1], [a + 1, PORT_MAX]]; break;
    case '<': raw = [[0, a - 1]]; break;
    case '<=': raw = [[0, a]]; break;
    case '>': raw = [[a + 1, PORT_MAX]]; break;
    case '>=': raw = [[a, PORT_MAX]]; break;
    case ':': if (b === undefined) return undefined; raw = [[a, b]]; break;
    case '><': if (b === undefined) return undefined; raw = [[a + 1, b - 1]]; break;
    case '<>': if (b === undefined) return undefined; raw = [[0, a - 1], [b + 1, PORT_MAX]]; break;
    default: return undefined;
  }
  const list = raw
    .map(([lo, hi]): [number, number] => [Math.max(0, lo), Math.min(PORT_MAX, hi)])
    .filter(([lo, hi]) => lo <= hi)
    .sort((x, y) => x[0] - y[0]);
  const out: Intervals = [];
  for (const iv of list) {
    const last = out[out.length - 1];
    if (last && iv[0] <= last[1] + 1) last[1] = Math.max(last[1], iv[1]);
    else out.push([iv[0], iv[1]]);
  }
  return out;
}

function portCovers(c: PortSpec | undefined, r: PortSpec | undefined): boolean {
  if (!c) return true;
  // A rule with a port never matches a packet without ports (fragments): only a port covers a port.
  if (!r) return false;
  const ci = portIntervals(c);
  const ri = portIntervals(r);
  if (!ci || !ri) return false;
  return ri.every(([lo, hi]) => ci.some(([clo, chi]) => clo <= lo && hi <= chi));
}

function sameSpec(a: PortSpec | undefined, b: PortSpec | undefined): boolean {
  if (!a || !b) return a === b;
  return a.op === b.op && a.a === b.a && a.b === b.b && !a.unresolved && !b.unresolved;
}

// ---------------------------------------------------------------- hosts

interface AddrInterval {
  af: 'inet' | 'inet6';
  lo: bigint;
  hi: bigint;
}

function toBig(bytes: number[]): bigint {
  let v = 0n;
  for (const x of bytes) v = (v << 8n) | BigInt(x);
  return v;
}

/** Literal addresses (`10.0.0.0/8`, `10.0.0.1 - 10.0.0.9`) as an interval; else undefined. */
export function addrInterval(h: HostOne): AddrInterval | undefined {
  if (h.kind === 'addr' && h.addr && h.bits !== undefined) {
    const width = h.addr.bytes.length * 8;
    if (h.bits < 0 || h.bits > width) return undefined;
    const hostBits = BigInt(width - h.bits);
    const lo = (toBig(h.addr.bytes) >> hostBits) << hostBits;
    return { af: h.addr.af, lo, hi: lo + (1n << hostBits) - 1n };
  }
  if (h.kind === 'range' && h.addr && h.addr2 && h.addr.af === h.addr2.af) {
    return { af: h.addr.af, lo: toBig(h.addr.bytes), hi: toBig(h.addr2.bytes) };
  }
  return undefined;
}

/** Opaque kinds whose identical text denotes the same address set at the same instant. */
const IDENTITY_KINDS = new Set(['table', 'dynamic', 'ifname', 'self']);

function sameHost(a: HostOne, b: HostOne): boolean {
  return a.kind === b.kind && a.neg === b.neg && a.name === b.name && a.bits === b.bits;
}

export function hostCovers(c: HostOne, r: HostOne): boolean {
  if (c.kind === 'any') return !c.neg;
  if (IDENTITY_KINDS.has(c.kind)) return sameHost(c, r);
  // no-route, urpf-failed, route: depend on the routing table in force (rtable): no claim
  const ci = addrInterval(c);
  const ri = addrInterval(r);
  if (!ci || !ri || ci.af !== ri.af) return false;
  if (!c.neg && !r.neg) return ci.lo <= ri.lo && ri.hi <= ci.hi;
  // ¬R ⊆ ¬C ⟺ C ⊆ R
  if (c.neg && r.neg) return ri.lo <= ci.lo && ci.hi <= ri.hi;
  // R ⊆ ¬C ⟺ R and C disjoint
  if (c.neg && !r.neg) return ri.hi < ci.lo || ci.hi < ri.lo;
  return false;
}

// ---------------------------------------------------------------- flags, state

const SYN = 0x02;
const ACK = 0x10;
const TCP = 6;

/** The TCP flags test pf applies (explicit, or pfctl's implicit S/SA on stateful pass rules). */
export function effectiveFlags(r: Rule): { set: number; mask: number } | undefined {
  if (r.flags && (r.flags.set || r.flags.mask)) return r.flags;
  if (r.flagsAny) return undefined;
  if (r.action === 'pass' && r.state?.kind !== 'no' && (r.proto === undefined || r.proto === TCP) && !r.fragment) {
    return { set: SYN, mask: SYN | ACK };
  }
  return undefined;
}

function flagsCover(c: Rule, r: Rule): boolean {
  if (r.proto !== undefined && r.proto !== TCP) return true; // the flags test only applies to TCP
  const fc = effectiveFlags(c);
  if (!fc) return true;
  const fr = effectiveFlags(r);
  for (let x = 0; x < 256; x++) {
    const rAccepts = !fr || (x & fr.mask) === fr.set;
    if (rAccepts && (x & fc.mask) !== fc.set) return false;
  }
  return true;
}

const ICMP_PROTOS = new Set([1, 58]);

/**
 * pf does not let a stateful rule (keep/modulate/synproxy state without `sloppy`) match ICMP
 * replies and errors without a state: such a rule covers ICMP only for rules sharing that limit.
 */
function statefulIcmpLimit(r: Rule, certain: boolean): boolean {
  const st = r.state;
  const sloppy = !!st?.opts.some((o) => o.key === 'sloppy');
  if (sloppy || st?.kind === 'no') return false;
  if (r.action === 'pass') return true;
  // a block rule with an explicit state option: pfctl's handling is not modelled
  return certain ? false : st !== undefined;
}

function icmpLimitCovers(c: Rule, r: Rule): boolean {
  if (r.proto !== undefined && !ICMP_PROTOS.has(r.proto)) return true;
  if (!statefulIcmpLimit(c, false)) return true;
  return statefulIcmpLimit(r, true);
}

// ---------------------------------------------------------------- rules

/** Can this expanded rule cover others at all? (Rules that may stop matching cannot.) */
export function canCover(c: Rule): boolean {
  if (c.action !== 'pass' && c.action !== 'block') return false;
  if (c.probability !== undefined || c.once || c.maxPktRate !== undefined || c.prio !== undefined) return false;
  if (hasUnknownField(c)) return false;
  for (const p of [c.srcPort, c.dstPort]) if (p && !portIntervals(p)) return false;
  return true;
}

/** Can this expanded rule be reported as never deciding? */
export function canBeShadowed(r: Rule): boolean {
  if (r.action !== 'pass' && r.action !== 'block') return false;
  // `tag` applies even when the rule does not decide; `log (matches)` logs later matches
  if (r.tag !== undefined || r.log?.includes('matches')) return false;
  if (hasUnknownField(r)) return false;
  // a port comparison that matches no port is another problem than shadowing
  for (const p of [r.srcPort, r.dstPort]) if (p && !portIntervals(p)?.length) return false;
  return true;
}

/**
 * Does C match every packet R matches? Assumes `canCover(c)` and `canBeShadowed(r)`, and that
 * the caller checked what lies between the two rules (tags set, packets translated).
 */
export function covers(c: Rule, r: Rule): boolean {
  if (c.dir && c.dir !== r.dir) return false;
  if (c.af && c.af !== r.af) return false;
  if (c.proto !== undefined && c.proto !== r.proto) return false;
  if (c.ifname && !(r.ifname && r.ifname.name === c.ifname.name && r.ifname.neg === c.ifname.neg)) return false;
  if (!portCovers(c.dstPort, r.dstPort) || !portCovers(c.srcPort, r.srcPort)) return false;
  if (!hostCovers(c.src, r.src) || !hostCovers(c.dst, r.dst)) return false;
  if (!flagsCover(c, r) || !icmpLimitCovers(c, r)) return false;
  if (c.icmpOne) {
    const a = c.icmpOne;
    const b = r.icmpOne;
    if (!b || a.v6 !== b.v6 || a.type !== b.type || (a.code !== undefined && a.code !== b.code)) return false;
  }
  if (c.user && !sameSpec(c.user, r.user)) return false;
  if (c.group && !sameSpec(c.group, r.group)) return false;
  if (c.os !== undefined && c.os !== r.os) return false;
  if (c.tos !== undefined && c.tos !== r.tos) return false;
  if (!!c.fragment !== !!r.fragment) return false;
  if (c.rcvIf !== undefined && c.rcvIf !== r.rcvIf) return false;
  if (c.tagged && !(r.tagged && r.tagged.name === c.tagged.name && r.tagged.neg === c.tagged.neg)) return false;
  return true;
}
