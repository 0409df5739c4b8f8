/** A typed model of pf.conf statements as pfctl sees them (before and after list expansion). */
import type { Af, IpAddr } from './addr';

export type HostKind = 'any' | 'no-route' | 'urpf-failed' | 'self' | 'table' | 'dynamic' | 'ifname' | 'addr' | 'range' | 'route';

/** One host item as written (an interface name may still stand for several addresses). */
export interface HostSpec {
  kind: HostKind;
  neg: boolean;
  /** table name, interface spec (`lo0:network`), or the text of the address. */
  name?: string;
  addr?: IpAddr;
  addr2?: IpAddr;
  /** Prefix length given with `/bits`. */
  bits?: number;
  af?: Af;
  line?: number;
  /** Interface scope of a link-local address (`fe80::1%lo0`). */
  scope?: string;
}

/** A port / uid / gid comparison: `= 22`, `!= 22`, `1024:2048`, `21 >< 2048` … */
export interface PortSpec {
  op: '=' | '!=' | '<' | '<=' | '>' | '>=' | '><' | '<>' | ':';
  a: number;
  b?: number;
  /** rdr-to `port 8000:*`. */
  star?: boolean;
  /**
   * Never set any more: an unknown service name now drops the rule with pfctl's
   * `unknown port` error. Kept because checks/shadow/cover.ts still reads it.
   */
  unresolved?: string;
}

export interface PoolOpts {
  /** binat's reverse rdr-to: no default pool type. */
  noDefault?: boolean;
  type?: 'bitmask' | 'random' | 'source-hash' | 'round-robin' | 'least-states';
  key?: string;
  sticky?: boolean;
  staticPort?: boolean;
}

export interface Redirect {
  hosts: HostSpec[];
  /** Whether the hosts were written as a `{ list }`. */
  list: boolean;
  port?: PortSpec;
  opts: PoolOpts;
}

export interface StateOpt {
  key: string;
  value?: string;
}

export interface IcmpSpec {
  v6: boolean;
  type: number;
  code?: number;
  err?: string;
}

export interface ScrubOpts {
  noDf?: boolean;
  minTtl?: number;
  maxMss?: number;
  randomId?: boolean;
  reassembleTcp?: boolean;
  /** FreeBSD scrub rule `set-tos`. */
  setTos?: number;
}

export interface RuleSpec {
  line: number;
  action: 'pass' | 'block' | 'match' | 'anchor' | 'scrub' | 'nat' | 'rdr' | 'binat';
  /** FreeBSD `no nat`, `no rdr`, `no binat`, `no scrub`. */
  no?: boolean;
  /** FreeBSD `nat pass` / `rdr pass` / `binat pass`. */
  natPass?: boolean;
  /** FreeBSD `nat-anchor`, `rdr-anchor`, `binat-anchor`, `scrub-anchor` (plain `anchor` when unset). */
  anchorType?: 'nat' | 'rdr' | 'binat' | 'scrub';
  anchorName?: string;
  /** Inline `{ … }` body of an anchor rule. */
  anchorBody?: Statement[];
  ret?: { kind: 'drop' | 'return' | 'return-rst' | 'return-icmp' | 'return-icmp6'; ttl?: number; icmp4?: number; icmp6?: number; explicit?: boolean };
  dir?: 'in' | 'out';
  log?: string[];
  quick: boolean;
  ifs: { name: string; neg: boolean }[];
  af?: Af;
  protos: number[];
  protoNames: string[];
  from: HostSpec[];
  fromPorts: PortSpec[];
  to: HostSpec[];
  toPorts: PortSpec[];
  os?: string;
  users: PortSpec[];
  groups: PortSpec[];
  flags?: { set: number; mask: number };
  flagsAny?: boolean;
  icmp: IcmpSpec[];
  tos?: number;
  state?: { kind: 'no' | 'keep' | 'modulate' | 'synproxy'; opts: StateOpt[] };
  fragment?: boolean;
  allowOpts?: boolean;
  label?: string;
  tag?: string;
  tagged?: { name: string; neg: boolean };
  setPrio?: number[];
  setTos?: number;
  setQueue?: string[];
  scrub?: ScrubOpts;
  probability?: string;
  rtable?: number;
  once?: boolean;
  nat?: Redirect;
  rdr?: Redirect;
  binat?: Redirect;
  /** FreeBSD translation rules: the pool after `->`. */
  pool?: Redirect;
  route?: { kind: 'route-to' | 'reply-to' | 'dup-to'; pool: Redirect };
  /** `af-to inet6 from POOL [to POOL]`: translation to the other family (expands into natOne/rdrOne). */
  afTo?: { af: Af; from: Redirect; to?: Redirect };
  divertTo?: { host: string; port: number };
  divertReply?: boolean;
  divertPacket?: number;
  maxPktRate?: string;
  prio?: number[];
  rcvIf?: string;
  extra: string[];
  /** antispoof rules are generated, not written. */
  antispoof?: boolean;
}

export type Statement =
  | { kind: 'rule'; rule: RuleSpec; expanded: Rule[] }
  | { kind: 'text'; text: string };

/** A rule after expansion: every list reduced to one element. */
export interface HostOne {
  kind: HostKind;
  neg: boolean;
  name?: string;
  addr?: IpAddr;
  addr2?: IpAddr;
  bits?: number;
  af?: Af;
}

export interface Rule extends Omit<RuleSpec, 'ifs' | 'protos' | 'from' | 'to' | 'fromPorts' | 'toPorts' | 'users' | 'groups' | 'icmp' | 'nat' | 'rdr' | 'pool' | 'route'> {
  ifname?: { name: string; neg: boolean };
  proto?: number;
  src: HostOne;
  dst: HostOne;
  srcPort?: PortSpec;
  dstPort?: PortSpec;
  user?: PortSpec;
  group?: PortSpec;
  icmpOne?: IcmpSpec;
  natOne?: RedirectOne;
  rdrOne?: RedirectOne;
  poolOne?: RedirectOne;
  routeOne?: { kind: 'route-to' | 'reply-to' | 'dup-to'; pool: RedirectOne };
  nr: number;
}

export interface RedirectOne {
  host?: HostOne;
  /** FreeBSD prints a pool of several addresses as `{ a, b }` (no automatic table). */
  list?: HostOne[];
  table?: string;
  port?: PortSpec;
  opts: PoolOpts;
}
