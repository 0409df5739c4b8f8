/**
 * ICMP and ICMPv6 type and code names as pfctl(8) accepts them after
 * `icmp-type` / `icmp6-type` … `code`, and in `return-icmp(…)`.
 *
 * Names and numbers are those of pfctl's own tables (pfctl_parser.c); the
 * descriptions are ours. Pure data + pure functions.
 */

export type IcmpFamily = 'icmp' | 'icmp6';

export interface IcmpCode {
  name: string;
  code: number;
  description: string;
  /** Set when only some pfctl versions know this name. */
  note?: string;
}

export interface IcmpType {
  name: string;
  type: number;
  family: IcmpFamily;
  description: string;
  /** Named codes of this type (other codes can still be given as numbers). */
  codes: IcmpCode[];
  note?: string;
}

function c(name: string, code: number, description: string, note?: string): IcmpCode {
  return note ? { name, code, description, note } : { name, code, description };
}

function t(family: IcmpFamily, name: string, type: number, description: string, codes: IcmpCode[] = [], note?: string): IcmpType {
  return note ? { name, type, family, description, codes, note } : { name, type, family, description, codes };
}

export const ICMP_TYPES: readonly IcmpType[] = [
  t('icmp', 'echorep', 0, 'Echo reply (answer to ping)'),
  t('icmp', 'unreach', 3, 'Destination unreachable', [
    c('net-unr', 0, 'network unreachable'),
    c('host-unr', 1, 'host unreachable'),
    c('proto-unr', 2, 'protocol unreachable'),
    c('port-unr', 3, 'port unreachable'),
    c('needfrag', 4, 'fragmentation needed but DF set (used by path MTU discovery)'),
    c('srcfail', 5, 'source route failed'),
    c('net-unk', 6, 'destination network unknown'),
    c('host-unk', 7, 'destination host unknown'),
    c('isolate', 8, 'source host isolated'),
    c('net-prohib', 9, 'network administratively prohibited'),
    c('host-prohib', 10, 'host administratively prohibited'),
    c('net-tos', 11, 'network unreachable for this TOS'),
    c('host-tos', 12, 'host unreachable for this TOS'),
    c('filter-prohib', 13, 'communication prohibited by filtering'),
    c('host-preced', 14, 'host precedence violation'),
    c('cutoff-preced', 15, 'precedence cutoff in effect'),
  ]),
  t('icmp', 'squench', 4, 'Source quench (deprecated congestion signal)'),
  t('icmp', 'redir', 5, 'Redirect: use another router', [
    c('redir-net', 0, 'redirect for the network'),
    c('redir-host', 1, 'redirect for the host'),
    c('redir-tos-net', 2, 'redirect for network and TOS'),
    c('redir-tos-host', 3, 'redirect for host and TOS'),
  ]),
  t('icmp', 'althost', 6, 'Alternate host address'),
  t('icmp', 'echoreq', 8, 'Echo request (ping)'),
  t('icmp', 'routeradv', 9, 'Router advertisement', [
    c('normal-adv', 0, 'normal router advertisement'),
    c('common-adv', 16, 'does not route common traffic'),
  ]),
  t('icmp', 'routersol', 10, 'Router solicitation'),
  t('icmp', 'timex', 11, 'Time exceeded (TTL expired; seen by traceroute)', [
    c('transit', 0, 'TTL reached zero in transit'),
    c('reassemb', 1, 'fragment reassembly time exceeded'),
  ]),
  t('icmp', 'paramprob', 12, 'Parameter problem in the IP header', [
    c('badhead', 0, 'pointer indicates the error'),
    c('optmiss', 1, 'a required option is missing'),
    c('badlen', 2, 'bad length'),
  ]),
  t('icmp', 'timereq', 13, 'Timestamp request'),
  t('icmp', 'timerep', 14, 'Timestamp reply'),
  t('icmp', 'inforeq', 15, 'Information request (obsolete)'),
  t('icmp', 'inforep', 16, 'Information reply (obsolete)'),
  t('icmp', 'maskreq', 17, 'Address mask request'),
  t('icmp', 'maskrep', 18, 'Address mask reply'),
  t('icmp', 'trace', 30, 'Traceroute (experimental, obsolete)'),
  t('icmp', 'dataconv', 31, 'Datagram conversion error (obsolete)'),
  t('icmp', 'mobredir', 32, 'Mobile host redirect (obsolete)'),
  t('icmp', 'ipv6-where', 33, 'IPv6 where-are-you (obsolete)'),
  t('icmp', 'ipv6-here', 34, 'IPv6 I-am-here (obsolete)'),
  t('icmp', 'mobregreq', 35, 'Mobile registration request (obsolete)'),
  t('icmp', 'mobregrep', 36, 'Mobile registration reply (obsolete)'),
  t('icmp', 'skip', 39, 'SKIP (obsolete)'),
  t('icmp', 'photuris', 40, 'Photuris security failures', [
    c('unknown-ind', 1, 'unknown security parameters index'),
    c('auth-fail', 2, 'authentication failed'),
    c('decrypt-fail', 3, 'decryption failed'),
  ]),

  t('icmp6', 'unreach', 1, 'Destination unreachable', [
    c('noroute-unr', 0, 'no route to destination'),
    c('admin-unr', 1, 'administratively prohibited'),
    c('notnbr-unr', 2, 'not a neighbour (old name of code 2)', 'Older pfctl versions (FreeBSD, macOS); OpenBSD only knows `beyond-unr` for code 2.'),
    c('beyond-unr', 2, 'beyond the scope of the source address'),
    c('addr-unr', 3, 'address unreachable'),
    c('port-unr', 4, 'port unreachable'),
  ]),
  t('icmp6', 'toobig', 2, 'Packet too big (needed for IPv6 path MTU discovery; do not block)'),
  t('icmp6', 'timex', 3, 'Time exceeded', [
    c('transit', 0, 'hop limit reached zero in transit'),
    c('reassemb', 1, 'fragment reassembly time exceeded'),
  ]),
  t('icmp6', 'paramprob', 4, 'Parameter problem', [
    c('badhead', 0, 'erroneous header field'),
    c('nxthdr', 1, 'unrecognised next header'),
  ]),
  t('icmp6', 'echoreq', 128, 'Echo request (ping6)'),
  t('icmp6', 'echorep', 129, 'Echo reply'),
  t('icmp6', 'groupqry', 130, 'Multicast listener (group membership) query'),
  t('icmp6', 'listqry', 130, 'Multicast listener query (same type as groupqry)'),
  t('icmp6', 'grouprep', 131, 'Multicast listener (group membership) report'),
  t('icmp6', 'listenrep', 131, 'Multicast listener report (same type as grouprep)'),
  t('icmp6', 'groupterm', 132, 'Multicast listener done (group membership termination)'),
  t('icmp6', 'listendone', 132, 'Multicast listener done (same type as groupterm)'),
  t('icmp6', 'routersol', 133, 'Router solicitation (neighbour discovery)'),
  t('icmp6', 'routeradv', 134, 'Router advertisement (neighbour discovery)'),
  t('icmp6', 'neighbrsol', 135, 'Neighbour solicitation (neighbour discovery; IPv6 needs it)'),
  t('icmp6', 'neighbradv', 136, 'Neighbour advertisement (neighbour discovery; IPv6 needs it)'),
  t('icmp6', 'redir', 137, 'Redirect', [
    c('redironlink', 0, 'redirect to an on-link destination'),
    c('redirrouter', 1, 'redirect to a better router'),
  ]),
  t('icmp6', 'routrrenum', 138, 'Router renumbering'),
  t('icmp6', 'wrureq', 139, 'Who-are-you request (node information query)'),
  t('icmp6', 'wrurep', 140, 'Who-are-you reply (node information reply)'),
  t('icmp6', 'fqdnreq', 139, 'FQDN query (node information query)'),
  t('icmp6', 'fqdnrep', 140, 'FQDN reply (node information reply)'),
  t('icmp6', 'niqry', 139, 'Node information query'),
  t('icmp6', 'nirep', 140, 'Node information reply'),
  t('icmp6', 'listenrepv2', 143, 'Multicast listener report, version 2 (MLDv2)', [], 'Known to newer pfctl versions (OpenBSD).'),
  t('icmp6', 'mtraceresp', 200, 'Multicast traceroute response'),
  t('icmp6', 'mtrace', 201, 'Multicast traceroute'),
];

function familyOf(family: IcmpFamily | 'inet' | 'inet6' | undefined): IcmpFamily | undefined {
  if (family === 'inet') return 'icmp';
  if (family === 'inet6') return 'icmp6';
  return family;
}

/** The ICMP or ICMPv6 type called `name`. Without a family, ICMP (IPv4) is tried first. */
export function icmpTypeByName(name: string, family?: IcmpFamily | 'inet' | 'inet6'): IcmpType | undefined {
  const fam = familyOf(family);
  const order: IcmpFamily[] = fam ? [fam] : ['icmp', 'icmp6'];
  for (const f of order) {
    const hit = ICMP_TYPES.find((x) => x.family === f && x.name === name);
    if (hit) return hit;
  }
  return undefined;
}

/** All names of an ICMP(v6) type number (ICMPv6 130–132 and 139–140 have several). */
export function icmpTypesByNumber(type: number, family: IcmpFamily | 'inet' | 'inet6'): IcmpType[] {
  const fam = familyOf(family);
  return ICMP_TYPES.filter((x) => x.family === fam && x.type === type);
}

/** The first (preferred) name of an ICMP(v6) type number. */
export function icmpTypeByNumber(type: number, family: IcmpFamily | 'inet' | 'inet6'): IcmpType | undefined {
  return icmpTypesByNumber(type, family)[0];
}

/**
 * A code name of a type. `type` may be a type name, number or entry; without a
 * type, the first code with that name in the family is returned along with its type.
 */
export function icmpCodeByName(
  code: string,
  family: IcmpFamily | 'inet' | 'inet6' = 'icmp',
  type?: string | number | IcmpType,
): { type: IcmpType; code: IcmpCode } | undefined {
  const fam = familyOf(family);
  const types = type === undefined
    ? ICMP_TYPES.filter((x) => x.family === fam)
    : typeof type === 'object'
      ? [type]
      : typeof type === 'number'
        ? icmpTypesByNumber(type, fam ?? 'icmp')
        : ICMP_TYPES.filter((x) => x.family === fam && x.name === type);
  for (const ty of types) {
    const hit = ty.codes.find((x) => x.name === code);
    if (hit) return { type: ty, code: hit };
  }
  return undefined;
}

/** Every ICMP type name and code name (both families), for completion and checks. */
export const ICMP_TYPE_NAMES: ReadonlySet<string> = new Set(ICMP_TYPES.filter((x) => x.family === 'icmp').map((x) => x.name));
export const ICMP6_TYPE_NAMES: ReadonlySet<string> = new Set(ICMP_TYPES.filter((x) => x.family === 'icmp6').map((x) => x.name));
export const ICMP_CODE_NAMES: ReadonlySet<string> = new Set(ICMP_TYPES.filter((x) => x.family === 'icmp').flatMap((x) => x.codes.map((y) => y.name)));
export const ICMP6_CODE_NAMES: ReadonlySet<string> = new Set(ICMP_TYPES.filter((x) => x.family === 'icmp6').flatMap((x) => x.codes.map((y) => y.name)));

/** Markdown for a hover on an ICMP type name. */
export function icmpTypeMarkdown(type: IcmpType): string {
  const kw = type.family === 'icmp' ? 'icmp-type' : 'icmp6-type';
  const out = [`**\`${kw} ${type.name}\`** — ${type.family === 'icmp' ? 'ICMP' : 'ICMPv6'} type ${type.type}`, type.description];
  const same = icmpTypesByNumber(type.type, type.family).filter((x) => x.name !== type.name);
  if (same.length) out.push(`Same type number as: ${same.map((x) => `\`${x.name}\``).join(', ')}`);
  if (type.codes.length) {
    out.push('Codes:\n\n' + type.codes.map((x) => `- \`${x.name}\` (${x.code}) — ${x.description}`).join('\n'));
  }
  if (type.note) out.push(`_${type.note}_`);
  return out.join('\n\n');
}

/** Markdown for a hover on an ICMP code name. */
export function icmpCodeMarkdown(type: IcmpType, code: IcmpCode): string {
  const out = [`**\`code ${code.name}\`** — ${type.family === 'icmp' ? 'ICMP' : 'ICMPv6'} type ${type.type} (\`${type.name}\`), code ${code.code}`, code.description];
  if (code.note) out.push(`_${code.note}_`);
  return out.join('\n\n');
}
