/**
 * List expansion the way pfctl does it: the cross product of interfaces,
 * protocols, hosts, ports, users, groups and ICMP types, with the address
 * family inferred per combination and pfctl's semantic checks.
 */
import { maxBits, parseAddr, type Af } from './addr';
import type { Context } from './context';
import type { HostOne, HostSpec, PortSpec, Redirect, RedirectOne, Rule, RuleSpec } from './rule';
import { formatHost, formatPortLabel } from './print';
import { protoName } from './names';

const TCP = 6;
const UDP = 17;
const ICMP = 1;
const ICMP6 = 58;

function list<T>(xs: T[]): (T | undefined)[] {
  return xs.length ? xs : [undefined];
}

export interface ExpandResult {
  rules: Rule[];
  ok: boolean;
}

/** Resolves the host list of one side; interface names become addresses. */
function resolveList(ctx: Context, hosts: HostSpec[], af: Af | undefined, file: string, line: number): HostOne[] | undefined {
  if (hosts.length === 0) return [{ kind: 'any', neg: false }];
  const out: HostOne[] = [];
  for (const h of hosts) {
    const r = ctx.resolveHost(h, af);
    if (r === undefined) {
      ctx.error(file, line, `no IP address found for ${h.name}`);
      return undefined;
    }
    if (h.kind === 'ifname' && r.length === 0 && af) {
      ctx.error(file, line, `no IP address found for ${h.name}`);
      return undefined;
    }
    out.push(...r);
  }
  return out;
}

export function expandRule(ctx: Context, spec0: RuleSpec, file: string, nextNr: () => number): ExpandResult {
  let spec = spec0;
  const line = spec.line;
  const errStart = ctx.errorCount;
  // check_netmask: a v4 address with a mask beyond 32 bits spoils every combination
  const badMask = [...spec.from, ...spec.to].find((h) => h.kind === 'addr' && h.af === 'inet' && (h.bits ?? 0) > 32);
  if (badMask) {
    ctx.report(`netmask ${badMask.bits} invalid for IPv4 address`);
    ctx.error(file, line, 'skipping rule due to errors');
    ctx.error(file, line, 'rule expands to no valid combination');
    return { rules: [], ok: false };
  }
  const src = resolveList(ctx, spec.from, spec.af, file, line);
  const dst = resolveList(ctx, spec.to, spec.af, file, line);
  if (!src || !dst) {
    ctx.error(file, line, 'skipping rule due to errors');
    return { rules: [], ok: false };
  }
  const redirect = spec.nat ?? spec.rdr ?? spec.binat ?? spec.pool;
  if (spec.ifs.length === 0) {
    const scoped = [...spec.from, ...spec.to].find((h) => h.scope);
    if (scoped) spec = { ...spec, ifs: [{ name: scoped.scope!, neg: false }] };
  }
  const rules: Rule[] = [];
  let anyError = false;
  let combos = 0;
  for (const ifn of list(spec.ifs)) {
    for (const proto of list(spec.protos)) {
      for (const s of src) {
        for (const d of dst) {
          for (const sp of list(spec.fromPorts)) {
            for (const dp of list(spec.toPorts)) {
              for (const user of list(spec.users)) {
                for (const group of list(spec.groups)) {
                  for (const icmp of list(spec.icmp)) {
                    combos++;
                    // automatic tables for pools written as lists are made before af checks
                    let poolTable: string | undefined;
                    let poolHosts: HostOne[] | undefined;
                    const pool = redirect ?? spec.route?.pool;
                    if (pool) {
                      let af: Af | undefined = spec.af ?? s.af ?? d.af;
                      poolHosts = [];
                      for (const h of pool.hosts) {
                        const r = ctx.resolveHost(h, af);
                        if (r) poolHosts.push(...r);
                      }
                      if (poolHosts.length > 1 && !spec.pool) {
                        poolTable = `__automatic_${ctx.autoTable++}`;
                        ctx.print(`table <${poolTable}> const { ${poolHosts.map((h) => ctx.formatHostPlain(h)).join(' ')} }`);
                      }
                    }
                    // binat-to: the translation address must match the family pfctl has for the rule so far
                    let binatNone = false;
                    if (spec.binat && poolHosts) {
                      const caf = spec.af ?? s.af ?? d.af;
                      if (caf && !poolHosts.some((h) => !h.af || h.af === caf)) {
                        ctx.error(file, line, 'af mismatch in translation spec');
                        binatNone = true;
                      }
                    }
                    // address family of this combination
                    let af = spec.af;
                    let divert = spec.divertTo;
                    if (divert) {
                      const lit = parseAddr(divert.host);
                      const hs = lit
                        ? [{ kind: 'addr' as const, neg: false, addr: lit, bits: maxBits(lit.af), af: lit.af }]
                        : ctx.resolveHost({ kind: 'ifname', neg: false, name: divert.host }, spec.af ?? s.af ?? d.af) ?? [];
                      const one = hs[0];
                      if (one?.addr) divert = { ...divert, host: ctx.formatHostPlain(one) };
                      af ??= one?.af;
                    }
                    const fams = [s.af, d.af];
                    let bad = false;
                    for (const f of fams) {
                      if (!f) continue;
                      if (af && af !== f) bad = true;
                      af ??= f;
                    }
                    if (bad) continue;
                    if (pool && poolHosts && !binatNone) {
                      const fams2 = [...new Set(poolHosts.map((h) => h.af).filter((x): x is Af => !!x))];
                      if (fams2.length && af && !fams2.includes(af)) {
                        if (spec.route) {
                          const errs2 = ['af mismatch in routing spec'];
                          if (spec.action === 'block') errs2.push('route-to, reply-to and dup-to require keep state', 'route-to, reply-to and dup-to are not supported on block rules');
                          for (const e of errs2) ctx.error(file, line, e);
                          ctx.error(file, line, 'skipping rule due to errors');
                          anyError = true;
                        }
                        continue;
                      }
                      if (!af && fams2.length === 1) af = fams2[0];
                      // FreeBSD's translation rules take the family of the first pool address
                      if (!af && spec.pool && fams2.length) af = poolHosts.find((h) => h.af)!.af;
                    }
                    // af-to: the pools are addresses of the target family
                    let afTo: { from?: RedirectOne; to?: RedirectOne } | undefined;
                    if (spec.afTo) {
                      const naf = spec.afTo.af;
                      afTo = { from: afToPool(ctx, spec.afTo.from, naf) };
                      if (spec.afTo.to) afTo.to = afToPool(ctx, spec.afTo.to, naf);
                    }
                    // semantic checks
                    const errs: string[] = afTo && (!afTo.from || (spec.afTo?.to && !afTo.to)) ? ['af mismatch in translation spec'] : [];
                    if (spec.binat) errs.push(...binatErrors(s, binatNone ? undefined : poolTable ? { kind: 'table', neg: false } : poolHosts?.[0], af));
                    if ((sp || dp) && proto !== undefined && proto !== TCP && proto !== UDP) errs.push('port only applies to tcp/udp');
                    if ((sp || dp) && proto === undefined) errs.push('port only applies to tcp/udp');
                    if (proto === ICMP && af === 'inet6') errs.push("proto icmp doesn't match address family inet6");
                    if (proto === ICMP6 && af === 'inet') errs.push("proto icmp6 doesn't match address family inet");
                    if (icmp) {
                      if ((icmp.v6 && proto !== ICMP6) || (!icmp.v6 && proto !== ICMP)) errs.push('icmp-type mismatch');
                    }
                    if (spec.route && spec.action === 'block') {
                      // reported by the caller's rule-level checks
                    }
                    if (spec.route) {
                      if (spec.state?.kind === 'no' || spec.action !== 'pass') {
                        if (spec.action === 'pass' || spec.action === 'block') errs.push('route-to, reply-to and dup-to require keep state');
                      }
                      if (spec.action === 'block') errs.push('route-to, reply-to and dup-to are not supported on block rules');
                    }
                    if (errs.length || binatNone) {
                      for (const e of errs) ctx.error(file, line, e);
                      ctx.error(file, line, 'skipping rule due to errors');
                      anyError = true;
                      continue;
                    }
                    const r: Rule = {
                      ...spec,
                      ifname: ifn,
                      proto,
                      src: s,
                      dst: d,
                      srcPort: sp,
                      dstPort: dp,
                      user,
                      group,
                      icmpOne: icmp,
                      divertTo: divert,
                      af,
                      nr: 0,
                    };
                    // tcp-only options silently dropped on other protocols
                    if (proto !== undefined && proto !== TCP) {
                      r.flags = undefined;
                      r.flagsAny = undefined;
                      if (r.state && (r.state.kind === 'modulate' || r.state.kind === 'synproxy')) r.state = { kind: 'keep', opts: r.state.opts };
                    }
                    if (pool) {
                      let port = pool.port;
                      if (port?.star) {
                        const span = dp && dp.op === ':' && dp.b !== undefined ? dp.b - dp.a : 0;
                        port = { ...port, b: port.a + span, star: false };
                      }
                      const one: RedirectOne = { opts: { ...pool.opts }, port };
                      if (poolTable) one.table = poolTable;
                      else {
                        const hs = (poolHosts ?? []).filter((h) => !af || !h.af || h.af === af);
                        one.host = hs[0];
                        if (hs.length > 1) one.list = hs;
                      }
                      if (spec.route) r.routeOne = { kind: spec.route.kind, pool: one };
                      else if (spec.pool) r.poolOne = one;
                      else if (spec.nat) r.natOne = one;
                      else if (spec.rdr) r.rdrOne = one;
                      else r.natOne = one;
                    }
                    if (afTo) {
                      r.natOne = afTo.from;
                      r.rdrOne = afTo.to;
                    }
                    rules.push(r);
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  void combos;
  void errStart;
  if (rules.length === 0) {
    ctx.error(file, line, 'rule expands to no valid combination');
    return { rules: [], ok: false };
  }
  // binat-to: one nat-to rule out, one rdr-to rule in
  let final: Rule[] = rules;
  if (spec.binat) {
    final = [];
    for (const r of rules) {
      const n = r.natOne!;
      const out: Rule = { ...r, dir: 'out', binat: undefined, natOne: { ...n, opts: { ...n.opts, staticPort: true, noDefault: true } } };
      const back: Rule = {
        ...r,
        dir: 'in',
        binat: undefined,
        natOne: undefined,
        src: { ...r.dst },
        dst: n.host ? { ...n.host, neg: false } : { kind: 'any', neg: false },
        rdrOne: { host: { ...r.src, neg: false }, opts: { noDefault: true } },
      };
      final.push(out, back);
    }
  }
  for (const r of final) {
    r.nr = nextNr();
    if (r.label !== undefined) r.label = expandLabel(ctx, r.label, r);
    if (r.tag !== undefined) r.tag = expandLabel(ctx, r.tag, r);
    if (r.tagged !== undefined) r.tagged = { ...r.tagged, name: expandLabel(ctx, r.tagged.name, r) };
    for (const h of [r.src, r.dst]) {
      if (h.kind === 'dynamic' && h.bits !== undefined && r.af && h.bits > maxBits(r.af)) r[h === r.src ? 'src' : 'dst'] = { ...h, bits: undefined };
    }
  }
  return { rules: final, ok: true };
}

/** One af-to pool in the target family `naf` (several addresses make an automatic table). */
function afToPool(ctx: Context, red: Redirect, naf: Af): RedirectOne | undefined {
  const hosts: HostOne[] = [];
  for (const h of red.hosts) hosts.push(...(ctx.resolveHost(h, naf) ?? []));
  const ok = hosts.filter((h) => !h.af || h.af === naf);
  if (!ok.length) return undefined;
  const one: RedirectOne = { opts: { ...red.opts }, port: red.port };
  if (ok.length > 1) {
    one.table = `__automatic_${ctx.autoTable++}`;
    ctx.print(`table <${one.table}> const { ${ok.map((h) => ctx.formatHostPlain(h)).join(' ')} }`);
  } else one.host = ok[0];
  return one;
}

/**
 * pfctl's checks of one binat-to combination: the source becomes the inbound rule's
 * redirect address, so it must be a plain address with the same mask as the translation
 * address. `nat` is the translation host (`undefined` when none matched the family).
 */
function binatErrors(src: HostOne, nat: HostOne | undefined, af: Af | undefined): string[] {
  const errs: string[] = [];
  if (src.kind === 'table') {
    errs.push(`invalid use of table <${src.name}> as the source address of a binat-to rule`);
    return errs;
  }
  const [base, ...mods] = (src.name ?? '').split(':');
  if (src.kind === 'dynamic' && !mods.includes('0')) {
    // an interface stands for one address only with `:0`
    errs.push(`invalid use of interface (${base}) as the source address of a binat-to rule`);
    errs.push('dynamic interfaces must be used with :0 in a binat-to rule');
    return errs;
  }
  if (src.kind !== 'addr' && src.kind !== 'any' && src.kind !== 'self' && src.kind !== 'dynamic') {
    errs.push('binat-to requires a specified source and redirect address');
    return errs;
  }
  // the translation address, like the source, must stand for one address
  if (nat?.kind === 'dynamic' && !(nat.name ?? '').split(':').slice(1).includes('0')) {
    errs.push('dynamic interfaces must be used with :0 in a binat-to rule');
  }
  const plain = (h: HostOne | undefined) => !h || h.kind === 'addr' || h.kind === 'any' || h.kind === 'dynamic';
  if (!plain(nat)) errs.push('binat-to requires a specified source and redirect address');
  // prefix lengths as pfctl compares them within the rule's family (tables and none have none)
  const max = af ? maxBits(af) : 128;
  const bitsOf = (h: HostOne | undefined) => {
    if (!h || h.kind === 'table' || h.kind === 'any') return 0;
    return Math.min(h.bits ?? max, max);
  };
  const srcBits = src.kind === 'addr' || src.kind === 'dynamic' ? Math.min(src.bits ?? max, max) : src.kind === 'any' ? 0 : max;
  if (srcBits !== bitsOf(nat)) errs.push('source and redir addresess must have a matching network mask in binat-rule');
  if (nat?.kind === 'table') errs.push('tables cannot be used as the redirect address of a binat-to rule');
  return errs;
}

export function expandLabel(ctx: Context, label: string, r: Rule): string {
  const os = ctx.dialect;
  const port = (p?: PortSpec) => (p ? formatPortLabel(p) : '');
  const vars: [string, () => string][] = [
    ['$srcaddr', () => formatHost(r.src)],
    ['$dstaddr', () => formatHost(r.dst)],
    ['$srcport', () => port(r.srcPort)],
    ['$dstport', () => port(r.dstPort)],
    ['$proto', () => protoName(r.proto ?? 0, os)],
    ['$nr', () => String(r.nr)],
    ['$if', () => r.ifname?.name ?? 'any'],
  ];
  let out = '';
  for (let i = 0; i < label.length; ) {
    const v = vars.find(([k]) => label.startsWith(k, i));
    if (v) {
      out += v[1]();
      i += v[0].length;
    } else out += label[i++];
  }
  return out;
}

export { maxBits };
export type { Redirect };
