// Coverage between two expanded rules: does rule C match every packet rule R matches?
// `true` only when that is certain from the rules' text; whatever is not modelled exactly
// makes the answer `false`. The criteria follow pf's rule matching (pf.conf(5), PACKET
// FILTERING): interface, direction, address family, protocol, addresses, ports, TCP flags,
// ICMP type/code, user/group, tos, fragment, tagged, received-on, os, prio, probability,
// once, max-pkt-rate. Everything else on a rule is an action and does not affect matching.
//
// Expanded rules are compiled once into `Match` objects of one fixed shape: the engine's rule
// objects carry some forty optional fields and comparing them directly is slow.
import { parseAddr } from '../../expand/addr';
import type { HostOne, PortSpec, Rule, RuleSpec } from '../../expand/rule';

/** Rule fields that are actions (or pfctl bookkeeping) and never restrict which packets match. */
const ACTION_KEYS = new Set([
  'line', 'action', 'anchorName', 'anchorBody', 'ret', 'log', 'quick', 'protoNames', 'allowOpts', 'label', 'tag',
  'setPrio', 'setTos', 'setQueue', 'scrub', 'rtable', 'divertTo', 'divertReply', 'divertPacket', 'antispoof',
  'natOne', 'rdrOne', 'routeOne', 'nr', 'nat', 'rdr', 'binat', 'route',
  // list forms of the spec, copied onto each expanded rule; the one-element forms are used
  'ifs', 'protos', 'from', 'to', 'fromPorts', 'toPorts', 'users', 'groups', 'icmp',
]);

/** Matching criteria this module models. */
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

export type Intervals = [number, number][];
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

/** `undefined`: no port test; `null`: a test not understood. */
type Ports = Intervals | null | undefined;

function portsOf(p: PortSpec | undefined): Ports {
  return p ? portIntervals(p) ?? null : undefined;
}

function portCovers(c: Ports, r: Ports): boolean {
  if (c === undefined) return true;
  // a rule with a port never matches a packet without ports (fragments): only a port covers a port
  if (!c || !r) return false;
  for (const [lo, hi] of r) {
    let inside = false;
    for (const [clo, chi] of c) if (clo <= lo && hi <= chi) inside = true;
    if (!inside) return false;
  }
  return true;
}

/** user/group: compared as written (pf's uid tests have special cases an interval misses). */
function idKey(p: PortSpec | undefined): string | undefined {
  return p ? `${p.op} ${p.a} ${p.b ?? ''}` : undefined;
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

class HostM {
  /** `any` (not negated): every address. */
  readonly all: boolean;
  /** For table, dynamic, interface/host name, self: the text, negation included. */
  readonly identity: string | undefined;
  readonly neg: boolean;
  readonly interval: AddrInterval | undefined;

  constructor(h: HostOne) {
    this.all = h.kind === 'any' && !h.neg;
    this.neg = h.neg;
    this.identity = IDENTITY_KINDS.has(h.kind) ? `${h.neg ? '!' : ''}${h.kind}:${h.name ?? ''}/${h.bits ?? ''}` : undefined;
    this.interval = addrInterval(h);
  }
}

export function hostCovers(c: HostM, r: HostM): boolean {
  if (c.all) return true;
  if (c.identity !== undefined) return c.identity === r.identity;
  // no-route, urpf-failed, route: depend on the routing table in force (rtable): no claim
  const ci = c.interval;
  const ri = r.interval;
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
const ICMP_PROTOS = new Set([1, 58]);

/** The TCP flags test pf applies (explicit, or pfctl's implicit S/SA on stateful pass rules). */
export function effectiveFlags(r: Rule): { set: number; mask: number } | undefined {
  if (r.flags && (r.flags.set || r.flags.mask)) return r.flags;
  if (r.flagsAny) return undefined;
  if (r.action === 'pass' && r.state?.kind !== 'no' && (r.proto === undefined || r.proto === TCP) && !r.fragment) {
    return { set: SYN, mask: SYN | ACK };
  }
  return undefined;
}

/**
 * pf does not let a stateful rule (keep/modulate/synproxy state without `sloppy`) match ICMP
 * replies and errors that have no state. `certain`: the rule surely has that limit (a block rule
 * with a state option is not modelled: it may or may not).
 */
function statefulIcmpLimit(r: Rule, certain: boolean): boolean {
  const st = r.state;
  const sloppy = !!st?.opts.some((o) => o.key === 'sloppy');
  if (sloppy || st?.kind === 'no') return false;
  if (r.action === 'pass') return true;
  return certain ? false : st !== undefined;
}

// ---------------------------------------------------------------- rules

/** An expanded rule reduced to what decides which packets it matches. */
export class Match {
  readonly dir: string | undefined;
  readonly af: string | undefined;
  readonly proto: number | undefined;
  readonly ifKey: string | undefined;
  readonly src: HostM;
  readonly dst: HostM;
  readonly srcPorts: Ports;
  readonly dstPorts: Ports;
  /** Effective TCP flags test (mask 0: none). */
  readonly flagSet: number;
  readonly flagMask: number;
  /** May match TCP / ICMP packets. */
  readonly mayTcp: boolean;
  readonly mayIcmp: boolean;
  /** Stateful ICMP limit: possibly (as a cover) / certainly (as a covered rule). */
  readonly icmpLimit: boolean;
  readonly icmpLimitCertain: boolean;
  readonly icmpKey: string | undefined;
  readonly icmpTypeKey: string | undefined;
  readonly icmpHasCode: boolean;
  readonly user: string | undefined;
  readonly group: string | undefined;
  readonly os: string | undefined;
  readonly tos: number | undefined;
  readonly fragment: boolean;
  readonly rcvIf: string | undefined;
  readonly tagged: string | undefined;

  constructor(r: Rule) {
    this.dir = r.dir;
    this.af = r.af;
    this.proto = r.proto;
    this.ifKey = r.ifname ? `${r.ifname.neg ? '!' : ''}${r.ifname.name}` : undefined;
    this.src = new HostM(r.src);
    this.dst = new HostM(r.dst);
    this.srcPorts = portsOf(r.srcPort);
    this.dstPorts = portsOf(r.dstPort);
    const f = effectiveFlags(r);
    this.flagSet = f?.set ?? 0;
    this.flagMask = f?.mask ?? 0;
    this.mayTcp = r.proto === undefined || r.proto === TCP;
    this.mayIcmp = r.proto === undefined || ICMP_PROTOS.has(r.proto);
    this.icmpLimit = statefulIcmpLimit(r, false);
    this.icmpLimitCertain = statefulIcmpLimit(r, true);
    const i = r.icmpOne;
    this.icmpTypeKey = i ? `${i.v6 ? 6 : 4}:${i.type}` : undefined;
    this.icmpKey = i ? `${this.icmpTypeKey}:${i.code ?? ''}` : undefined;
    this.icmpHasCode = i?.code !== undefined;
    this.user = idKey(r.user);
    this.group = idKey(r.group);
    this.os = r.os;
    this.tos = r.tos;
    this.fragment = !!r.fragment;
    this.rcvIf = r.rcvIf;
    this.tagged = r.tagged ? `${r.tagged.neg ? '!' : ''}${r.tagged.name}` : undefined;
  }
}

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
 * pfctl takes a rule's address family from its nat-to/rdr-to/route-to pool or divert-to host
 * when nothing else sets it; interface and host names there are not resolved here, so such a
 * rule without an explicit family may be narrower than it looks: it cannot cover.
 */
export function afGuessed(c: Rule, spec: RuleSpec): boolean {
  if (c.af) return false;
  const pools = [spec.nat, spec.rdr, spec.binat, spec.route?.pool];
  if (pools.some((p) => p?.hosts.some((h) => h.kind === 'ifname'))) return true;
  return !!spec.divertTo && !parseAddr(spec.divertTo.host);
}

/**
 * Does C match every packet R matches? For rules that passed `canCover(c)` and
 * `canBeShadowed(r)`; the caller checks what lies between them (tags set, packets translated).
 */
export function covers(c: Match, r: Match): boolean {
  if (c.dir !== undefined && c.dir !== r.dir) return false;
  if (c.af !== undefined && c.af !== r.af) return false;
  if (c.proto !== undefined && c.proto !== r.proto) return false;
  if (c.ifKey !== undefined && c.ifKey !== r.ifKey) return false;
  if (!portCovers(c.dstPorts, r.dstPorts) || !portCovers(c.srcPorts, r.srcPorts)) return false;
  if (!hostCovers(c.src, r.src) || !hostCovers(c.dst, r.dst)) return false;
  // TCP flags (tested on TCP packets only). R accepts the flag bytes x with x & mask == set:
  // none if its set has bits outside its mask; otherwise bits outside R's mask vary freely, so
  // C may only test bits inside R's mask, where R fixes them to R's set.
  if (r.mayTcp && (c.flagMask !== 0 || c.flagSet !== 0) && !(r.flagSet & ~r.flagMask)) {
    if ((c.flagMask & ~r.flagMask) !== 0 || (r.flagSet & c.flagMask) !== c.flagSet) return false;
  }
  if (r.mayIcmp && c.icmpLimit && !r.icmpLimitCertain) return false;
  if (c.icmpKey !== undefined && c.icmpKey !== r.icmpKey && (c.icmpHasCode || c.icmpTypeKey !== r.icmpTypeKey)) return false;
  if (c.user !== undefined && c.user !== r.user) return false;
  if (c.group !== undefined && c.group !== r.group) return false;
  if (c.os !== undefined && c.os !== r.os) return false;
  if (c.tos !== undefined && c.tos !== r.tos) return false;
  if (c.fragment !== r.fragment) return false;
  if (c.rcvIf !== undefined && c.rcvIf !== r.rcvIf) return false;
  if (c.tagged !== undefined && c.tagged !== r.tagged) return false;
  return true;
}
