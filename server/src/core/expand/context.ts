/** Shared state of one pfctl run: macros, printed lines, errors, tables, interfaces. */
import { applyMask, formatAddr, maxBits, parseAddr, type Af } from './addr';
import type { HostOne, HostSpec, Rule, RuleSpec } from './rule';
import { Altq } from './altq';
import { Queues } from './queues';

/** The regress hosts' lo0, in the order the kernel lists its addresses. */
export const DEFAULT_INTERFACES: Record<string, string[]> = {
  lo0: ['::1/128', 'fe80::1%lo0/64', '127.0.0.1/8'],
};

const HOSTS: Record<string, string[]> = {
  localhost: ['127.0.0.1', '::1'],
};

export interface IfAddr {
  addr: ReturnType<typeof parseAddr> & object;
  bits: number;
  linkLocal: boolean;
}

export class Context {
  macros = new Map<string, string>();
  defines = new Set<string>();
  out: string[] = [];
  errors: string[] = [];
  errorCount = 0;
  tables = new Set<string>();
  /** Report table files `readFile` cannot return, as pfctl does for a missing file. */
  checkTableFiles = false;
  /**
   * pfctl's `-a ANCHOR`: the file is loaded into that anchor, so only rules, translation
   * and tables are loaded; options and queues are read but neither applied nor printed.
   */
  anchor?: string;
  loads: { anchor: string; file: string; line: number }[] = [];
  blockPolicy: 'drop' | 'return' = 'drop';
  autoTable = 0;
  ifaces = new Map<string, IfAddr[]>();
  queues = new Queues();
  /** Service names the simulated host knows besides its system's services(5). */
  services = new Map<string, number>();
  altq = new Altq(
    (l) => this.print(l),
    (f, n, m) => this.error(f, n, m),
    (m) => this.report(m),
  );

  constructor(
    public dialect: 'openbsd' | 'freebsd',
    interfaces: Record<string, string[]>,
    public readFile?: (p: string) => string | undefined,
  ) {
    for (const [name, list] of Object.entries(interfaces)) {
      const addrs: IfAddr[] = [];
      for (const s of list) {
        const [a, b] = s.split('/');
        const ip = parseAddr(a);
        if (!ip) continue;
        const bits = b === undefined ? maxBits(ip.af) : Number(b);
        addrs.push({ addr: ip, bits, linkLocal: ip.af === 'inet6' && ip.bytes[0] === 0xfe && (ip.bytes[1] & 0xc0) === 0x80 });
      }
      this.ifaces.set(name, addrs);
    }
  }

  /** Set by the driver: expands one rule as soon as it is parsed. */
  expand: (spec: RuleSpec, file: string, counter: { n: number }) => Rule[] = () => [];

  print(line: string): void {
    this.out.push(line);
  }

  /** A message pfctl prints without a file position. */
  report(message: string): void {
    this.errors.push(message);
    this.errorCount++;
  }

  error(file: string, line: number, message: string): void {
    this.errors.push(`${file}:${line}: ${message}`);
    this.errorCount++;
  }

  /** Is `name` an interface or interface group we know (`lo0`, `lo`)? */
  knownInterface(name: string): boolean {
    if (this.ifaces.has(name)) return true;
    return [...this.ifaces.keys()].some((k) => k.replace(/\d+$/, '') === name);
  }

  /**
   * Resolves a host item to concrete hosts (interface names to their
   * addresses, hostnames via a tiny hosts table). `undefined` when unresolvable.
   */
  resolveHost(h: HostSpec, af: Af | undefined): HostOne[] | undefined {
    if (h.kind !== 'ifname') {
      if (h.kind === 'addr' && h.addr) {
        const bits = h.bits ?? maxBits(h.addr.af);
        return [{ kind: 'addr', neg: h.neg, addr: applyMask(h.addr, bits), bits, af: h.addr.af }];
      }
      return [{ ...h }];
    }
    const name = h.name ?? '';
    const parts = name.split(':');
    const base = parts[0];
    const mods = parts.slice(1);
    // an interface group (`lo`, `em`) stands for the addresses of its members
    const list = this.ifaces.get(base) ?? this.groupAddrs(base);
    if (list) {
      let addrs = list.slice();
      if (af) addrs = addrs.filter((x) => x.addr.af === af);
      const network = mods.includes('network');
      const first = mods.includes('0');
      if (network) addrs = addrs.filter((x) => !x.linkLocal);
      if (first) {
        const seen = new Set<string>();
        addrs = addrs.filter((x) => {
          if (seen.has(x.addr.af)) return false;
          seen.add(x.addr.af);
          return true;
        });
      }
      return addrs.map((x) => {
        const bits = h.bits ?? (network ? x.bits : maxBits(x.addr.af));
        return { kind: 'addr' as const, neg: h.neg, addr: applyMask(x.addr, bits), bits, af: x.addr.af };
      });
    }
    const hosts = HOSTS[name];
    if (hosts) {
      return hosts
        .map((s) => parseAddr(s)!)
        .filter((a) => !af || a.af === af)
        .map((a) => {
          const bits = h.bits ?? maxBits(a.af);
          return { kind: 'addr' as const, neg: h.neg, addr: applyMask(a, bits), bits, af: a.af };
        });
    }
    return undefined;
  }

  private groupAddrs(group: string): IfAddr[] | undefined {
    const members = [...this.ifaces.keys()].filter((k) => /\d$/.test(k) && k.replace(/\d+$/, '') === group);
    return members.length ? members.flatMap((m) => this.ifaces.get(m)!) : undefined;
  }

  formatHostPlain(h: HostOne): string {
    if (h.kind === 'addr' && h.addr) {
      const s = formatAddr(h.addr);
      return h.bits === maxBits(h.addr.af) ? s : `${s}/${h.bits}`;
    }
    return h.name ?? h.kind;
  }
}
