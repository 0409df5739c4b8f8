/**
 * Documentation for every pf.conf keyword and `set` option of both dialects:
 * OpenBSD 7.x pf and FreeBSD 14/15 pf (macOS pf is an older relative of both).
 *
 * The text is written for this project from the facts in pf.conf(5) of OpenBSD
 * and FreeBSD; it is not copied from the manuals.
 *
 * macOS: Apple's pf descends from an OpenBSD 4.x-era pf (through FreeBSD). Its
 * manual is not among our reference pages, so `macos` in `dialects` is our best
 * estimate from that heritage and from Apple's stock pf.conf, not a checked fact.
 *
 * Pure data + pure functions: no imports besides types.
 */

export type Dialect = 'openbsd' | 'freebsd' | 'macos';

export type KeywordKind =
  | 'statement'
  | 'action'
  | 'filter-option'
  | 'translation'
  | 'set-option'
  | 'timeout'
  | 'limit'
  | 'state-option'
  | 'scrub-option'
  | 'pool-option'
  | 'queue-option'
  | 'address'
  | 'interface-modifier'
  | 'table-option'
  | 'other';

export interface ManRef {
  /** Manual page name, e.g. `pf.conf`. */
  page: string;
  /** Section (or subsection) of the OpenBSD page where the keyword is described. */
  section: string;
  /** Section of the FreeBSD page, when it differs from `section`. */
  freebsdSection?: string;
  /** Manual section number; 5 when omitted. */
  volume?: number;
}

export interface KeywordDoc {
  keyword: string;
  kind: KeywordKind;
  /** One sentence. */
  summary: string;
  /** More explanation (Markdown allowed). */
  detail?: string;
  /** Syntax line, e.g. `set block-policy drop | return`. */
  syntax?: string;
  /** Default value or behaviour when not given. */
  default?: string;
  /** The pf flavours that accept the keyword in this meaning. */
  dialects: Dialect[];
  /** How OpenBSD, FreeBSD and macOS differ for this keyword. */
  dialectNote?: string;
  man: ManRef;
  /**
   * The keywords that introduce the construct this meaning belongs to, e.g.
   * `['set']` for `set timeout`, `['state', 'keep']` for state options. A doc
   * without `parents` is a top-level meaning.
   */
  parents?: string[];
  /** Keywords that may follow (for `set debug`, `set optimization` …). */
  values?: string[];
}

const ALL: Dialect[] = ['openbsd', 'freebsd', 'macos'];
const OB: Dialect[] = ['openbsd'];
const FB: Dialect[] = ['freebsd'];
const OF: Dialect[] = ['openbsd', 'freebsd'];
const FM: Dialect[] = ['freebsd', 'macos'];
const MAC: Dialect[] = ['macos'];

const PAGE = 'pf.conf';

function man(section: string, freebsdSection?: string): ManRef {
  return freebsdSection ? { page: PAGE, section, freebsdSection } : { page: PAGE, section };
}

type Extra = Partial<Omit<KeywordDoc, 'keyword' | 'kind' | 'summary'>>;

const DOCS: KeywordDoc[] = [];

function k(keyword: string, kind: KeywordKind, summary: string, extra: Extra = {}): void {
  DOCS.push({
    keyword,
    kind,
    summary,
    dialects: extra.dialects ?? ALL,
    man: extra.man ?? man('PACKET FILTERING', 'PARAMETERS'),
    ...extra,
  });
}

/** Parents for words that live inside `keep state (…)` and friends. */
const STATE_PARENTS = ['state', 'keep', 'modulate', 'synproxy', 'state-defaults'];
/** Parents for words inside `scrub (…)` or a scrub rule. */
const SCRUB_PARENTS = ['scrub'];
/** Parents for pool options (translation and route targets). */
const POOL_PARENTS = ['nat-to', 'rdr-to', 'binat-to', 'af-to', 'route-to', 'reply-to', 'dup-to', 'nat', 'rdr', 'binat', '->'];
const QUEUE_PARENTS = ['queue', 'altq'];
const SCHED_PARENTS = ['cbq', 'priq', 'hfsc', 'fairq', 'codel'];

// ====================================================================== statements

k('pass', 'action', 'Lets matching packets through; unless `no state` is given, the first packet creates a state entry so the rest of the connection passes without rule evaluation.', {
  syntax: 'pass [in | out] [log] [quick] [on interface] [af] [proto …] [from … to …] [options …]',
  detail: 'For `pass` and `block` the **last** matching rule decides, unless a rule is marked `quick`. A packet that matches no rule at all is passed, statelessly.',
});
k('block', 'action', 'Stops matching packets. By default they are dropped silently; `set block-policy` or a per-rule `drop`/`return`/`return-rst`/`return-icmp` changes the reply.', {
  syntax: 'block [drop | return | return-rst [(ttl n)] | return-icmp [(code)] | return-icmp6 [(code)]] [in | out] …',
  detail: 'A common start of a ruleset is `block all` (or just `block`), followed by `pass` rules for what is allowed.',
});
k('match', 'action', 'Applies options (translation, queue, scrub, tag, log, rtable …) to matching packets without deciding whether they pass or are blocked.', {
  syntax: 'match [in | out] [log] [on interface] … [options …]',
  detail: 'Unlike `pass`/`block`, every matching `match` rule takes effect, not just the last one. Options such as `nat-to`, `rdr-to`, `binat-to`, `queue`, `rtable` and `scrub` stay attached to the packet ("sticky") until a later rule overrides them. With `log`, a packet can be logged by several rules.',
  dialects: OF,
  dialectNote: 'OpenBSD since 4.6. Recent FreeBSD also has `match` rules (sticky parameters there: queue, dnpipe, dnqueue, rtable, scrub). macOS pf has no `match` rules.',
});
k('table', 'statement', 'Declares a named table of addresses and networks, referenced as `<name>` in rules; lookups in a table are fast even for many entries.', {
  syntax: 'table <name> [persist] [const] [counters] [file "path" …] [{ address, … }]',
  detail: 'A table defined without an address list keeps its current contents when the ruleset is reloaded; `{ }` empties it. Table names follow the same rules as macro names and may not be reserved words.',
  man: man('TABLES'),
});
k('set', 'statement', 'Sets a global option of the packet filter (`set timeout`, `set limit`, `set skip on`, …). Inside a rule, `set prio`, `set queue`, `set tos` and `set delay` instead act on the matching packets.', {
  syntax: 'set option value',
  man: man('OPTIONS'),
  values: ['timeout', 'limit', 'ruleset-optimization', 'optimization', 'loginterface', 'block-policy', 'state-policy', 'state-defaults', 'fingerprints', 'skip', 'debug', 'reassemble', 'hostid', 'syncookies', 'keepcounters', 'fail-policy', 'require-order'],
});
k('anchor', 'statement', 'An attachment point for a sub-ruleset: when evaluation reaches it, the rules in the named anchor are evaluated. The rules can be given inline in `{ }`, loaded with `load anchor`, or managed at run time with `pfctl -a name`.', {
  syntax: 'anchor ["name"] [in | out] [on interface] [af] [proto …] [from … to …] [{ rules … }]',
  detail: 'Anchor names are paths (`a/b`); `name/*` evaluates every anchor directly under `name` in alphabetical order, and `..` refers to the parent anchor. Filter parameters on the anchor rule restrict which packets enter it. If the anchor rule is `quick`, a match inside the anchor ends evaluation when the anchor is left.',
  man: man('ANCHORS'),
});
k('load', 'statement', 'Part of `load anchor name from "file"`: when pfctl loads the main ruleset it also loads the rules in the file into the named anchor.', {
  syntax: 'load anchor name from "file"',
  man: man('ANCHORS'),
});
k('include', 'statement', 'Reads another file at this point, as if its text were written here.', {
  syntax: 'include "/path/to/file"',
  man: man('DESCRIPTION', 'STATEMENT ORDER'),
});
k('queue', 'statement', 'Defines a traffic queue for bandwidth control. Packets are put in queues by the `queue`/`set queue` option of filter rules.', {
  syntax: 'queue name [on interface] [parent name] [bandwidth bw [burst bw for ms]] [min bw] [max bw] [flows n] [quantum n] [qlimit n] [default]   (OpenBSD)\nqueue name [on interface] [bandwidth bw] [priority n] [qlimit n] scheduler[(options)] [{ child, … }]   (ALTQ)',
  detail: 'OpenBSD builds a tree of queues under a root queue that names the interface; only leaf queues take packets and exactly one `default` queue per interface is required. With ALTQ (FreeBSD, macOS) the root is an `altq on` line and each `queue` line names its scheduler (`cbq`, `priq`, `hfsc`, …).',
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
  dialectNote: 'Two different syntaxes. OpenBSD (5.5 and later) uses its own queueing with `parent`, `min`, `max`, `burst`, `flows`; FreeBSD and macOS use ALTQ (`altq on …` plus `queue … cbq(…)`), and FreeBSD needs a kernel built with ALTQ options.',
});
k('queue', 'filter-option', 'Assigns packets matching the rule to a queue; with two queues, the second one gets TCP ACKs without payload and packets with TOS `lowdelay`.', {
  syntax: 'queue name | queue (name, priority-name)',
  parents: ['pass', 'block', 'match', 'ether', 'rule'],
  man: man('QUEUEING', 'PARAMETERS'),
  dialectNote: 'OpenBSD spells it `set queue` in filter rules; FreeBSD and macOS use plain `queue`.',
});
k('queue', 'filter-option', 'In an `altq on` line: the list of top-level child queues of that interface.', {
  syntax: 'altq on interface … queue { name, … }',
  parents: ['altq'],
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
});
k('altq', 'statement', 'Enables ALTQ queueing on an interface and names its scheduler, total bandwidth and top-level queues.', {
  syntax: 'altq on interface cbq | priq | hfsc | fairq [bandwidth bw] [qlimit n] [tbrsize bytes] queue { q1, q2, … }',
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
  dialectNote: 'FreeBSD and macOS. FreeBSD needs a custom kernel with ALTQ options. OpenBSD removed ALTQ in 5.6 in favour of its own `queue … parent … bandwidth` syntax.',
});
k('nat', 'translation', 'A separate translation rule: rewrites the source address (and usually the source port) of packets leaving through an interface, typically hiding a private network behind one public address.', {
  syntax: '[no] nat [pass [log]] [on interface] [af] [proto …] from … to … [tag t] [tagged t] -> address [port p] [pool-type] [static-port]',
  detail: 'Translation rules are evaluated before filter rules (binat first, then nat for outbound and rdr for inbound packets), and the first matching one wins. Filter rules see the translated addresses. With `pass`, matching packets skip the filter rules; otherwise they still need a `pass` rule.',
  dialects: FM,
  man: man('Translation', 'TRANSLATION'),
  dialectNote: 'FreeBSD and macOS. OpenBSD removed `nat`/`rdr`/`binat` rules in 4.7: use `nat-to`/`rdr-to`/`binat-to` on `pass` or `match` rules.',
});
k('rdr', 'translation', 'A separate translation rule: redirects packets arriving on an interface to another destination address and/or port (port forwarding).', {
  syntax: '[no] rdr [pass [log]] [on interface] [af] [proto …] from … to … [port p] -> address [port p[:*]] [pool-type]',
  detail: 'A port range can be redirected to one port or, with `port n:*`, onto a range of the same size. Redirecting to a loopback address makes daemons that listen only on loopback reachable from outside (this is how spamd is usually fed).',
  dialects: FM,
  man: man('Translation', 'TRANSLATION'),
  dialectNote: 'FreeBSD and macOS. On OpenBSD (4.7 and later) use `rdr-to` in a `pass` or `match` rule.',
});
k('binat', 'translation', 'A separate translation rule: maps an internal address (or netblock) one to one onto an external one, in both directions; ports are never changed.', {
  syntax: '[no] binat [pass [log]] [on interface] [af] [proto p] from address[/bits] to … -> address[/bits]',
  dialects: FM,
  man: man('Translation', 'TRANSLATION'),
  dialectNote: 'FreeBSD and macOS. On OpenBSD use `binat-to` in a `pass` or `match` rule.',
});
k('no', 'other', 'Negates what follows: `no state` makes a rule stateless; `no nat`/`no rdr`/`no binat`/`no scrub` exempt matching packets from broader translation or scrub rules below them.', {
  syntax: 'no state | no nat … | no rdr … | no binat … | no scrub …',
  detail: 'With `no state`, each packet is evaluated against the rules on its own, and `log` logs every matching packet. A `no nat`-style rule is an exception: when it is the first translation rule a packet matches, the packet stays untranslated.',
  dialectNote: '`no nat`, `no rdr`, `no binat` and `no scrub` exist only in FreeBSD and macOS, which still have separate translation and scrub rules.',
});
k('scrub', 'statement', 'A separate normalisation rule (pre-FreeBSD 14 style): reassembles fragments and sanitises packets matching the rule before filtering.', {
  syntax: '[no] scrub [in | out] [on interface] [af] [proto …] from … to … [no-df] [min-ttl n] [max-mss n] [random-id] [reassemble tcp] [fragment reassemble]',
  detail: 'Every packet runs through the scrub rules before the state lookup, so long scrub rulesets slow pf down. `scrub … reassemble tcp` must not name a direction.',
  dialects: FM,
  man: man('TRAFFIC NORMALISATION', 'TRAFFIC NORMALIZATION'),
  dialectNote: 'FreeBSD keeps scrub rules for compatibility (if any exist they decide fragment reassembly instead of `set reassemble`) and FreeBSD 14+ also offers the `scrub (…)` rule option. OpenBSD dropped scrub rules in 4.6: write `match in all scrub (…)` instead. macOS uses scrub rules.',
});
k('scrub', 'scrub-option', 'Rule option that normalises matching packets with the options given in parentheses (`no-df`, `min-ttl`, `max-mss`, `random-id`, `reassemble tcp`).', {
  syntax: 'scrub (option [, option …])',
  detail: 'Usually attached to a `match` rule, e.g. `match in on egress scrub (random-id max-mss 1400)`. On a `match` rule the scrub settings are sticky.',
  parents: ['pass', 'block', 'match', 'rule'],
  dialects: OF,
  man: man('Scrub'),
  dialectNote: 'OpenBSD since 4.6 and FreeBSD 14 and later. macOS only has scrub rules.',
});
k('scrub-anchor', 'statement', 'Anchor attachment point evaluated for scrub rules, in the style of `nat-anchor`/`rdr-anchor`.', {
  syntax: 'scrub-anchor "name"',
  dialects: MAC,
  man: man('ANCHORS'),
  dialectNote: 'Used by Apple\'s stock /etc/pf.conf (`scrub-anchor "com.apple/*"`). Not in OpenBSD or FreeBSD pf.conf(5).',
});
k('dummynet-anchor', 'statement', 'Anchor attachment point evaluated for macOS dummynet rules.', {
  syntax: 'dummynet-anchor "name"',
  dialects: MAC,
  man: man('ANCHORS'),
  dialectNote: 'macOS only (Apple\'s stock /etc/pf.conf uses `dummynet-anchor "com.apple/*"`).',
});
k('antispoof', 'statement', 'Expands to `block drop in` rules that drop packets claiming a source address of a network attached to the given interface(s) but arriving on another interface.', {
  syntax: 'antispoof [log] [quick] for interface [af] [label "text"]',
  detail: 'For a non-loopback interface it also blocks incoming packets whose source is the interface\'s own address. The generated rules also catch locally generated traffic sent over loopback to local addresses, so that traffic may need an explicit `pass`.',
  man: man('Blocking Spoofed Traffic', 'BLOCKING SPOOFED TRAFFIC'),
  dialectNote: 'FreeBSD also accepts `ridentifier n` on antispoof rules.',
});
k('ether', 'statement', 'Starts a layer-2 (Ethernet) filter rule that matches MAC addresses, Ethernet protocol numbers and tags; layer-2 rules keep no state.', {
  syntax: 'ether pass | block [in | out] [quick] [on interface] [bridge-to interface] [proto number] from mac to mac [l3 from … to …] [tag t] [tagged t] [queue q] [label "l"] [ridentifier n]',
  detail: '`block` always drops silently at layer 2. Ethernet protocol numbers are different from IP protocol numbers.',
  dialects: FB,
  man: man('PACKET FILTERING', 'ETHERNET FILTERING'),
  dialectNote: 'FreeBSD 14 and later only.',
});
k('nat-anchor', 'statement', 'Anchor attachment point whose `nat` rules are evaluated at this position.', {
  syntax: 'nat-anchor "name" [on interface] [af] [proto …] [from … to …]',
  dialects: FM,
  man: man('ANCHORS'),
  dialectNote: 'FreeBSD and macOS. OpenBSD has no separate translation rules, so a plain `anchor` covers translation too.',
});
k('rdr-anchor', 'statement', 'Anchor attachment point whose `rdr` rules are evaluated at this position.', {
  syntax: 'rdr-anchor "name" [on interface] [af] [proto …] [from … to …]',
  dialects: FM,
  man: man('ANCHORS'),
  dialectNote: 'FreeBSD and macOS only.',
});
k('binat-anchor', 'statement', 'Anchor attachment point whose `binat` rules are evaluated at this position.', {
  syntax: 'binat-anchor "name" [on interface] [af] [proto …] [from … to …]',
  dialects: FM,
  man: man('ANCHORS'),
  dialectNote: 'FreeBSD and macOS only.',
});

// ====================================================================== rule parameters

k('in', 'filter-option', 'The rule applies only to packets entering through an interface.', {
  syntax: 'in',
  detail: 'Without `in` or `out`, the rule matches packets in both directions.',
});
k('out', 'filter-option', 'The rule applies only to packets leaving through an interface.', {
  syntax: 'out',
  detail: 'Without `in` or `out`, the rule matches packets in both directions.',
});
k('log', 'filter-option', 'Also logs matching packets to a pflog(4) interface (pflog0 by default), where pflogd(8) writes them to /var/log/pflog in pcap format.', {
  syntax: 'log [(all | matches | user | to pflogN, …)]',
  detail: 'For stateful rules only the packet that creates the state is logged, unless `log (all)` is used. Options inside the parentheses may be combined with commas.',
});
k('all', 'filter-option', 'Short for `from any to any`.', {
  syntax: 'all',
  detail: 'Inside `log (…)` it means "log every packet of the connection", not just the one that creates the state.',
});
k('all', 'other', 'Log option: log every packet of the connection, not only the packet that creates the state.', {
  syntax: 'log (all)',
  parents: ['log'],
});
k('matches', 'other', 'Log option: once this rule matches, the packet is also logged by every later rule it matches.', {
  syntax: 'log (matches)',
  detail: 'Often combined with `to pflogN` so the extra entries go to a separate log interface.',
  parents: ['log'],
  dialects: OF,
});
k('user', 'filter-option', 'Matches packets of sockets owned by the given user (name or uid; operators and lists as for ports); only TCP and UDP can be matched.', {
  syntax: 'user name | user op id | user { … }',
  detail: 'For connections made from the firewall it is the user who opened the socket; for connections to the firewall it is the user listening on the port. Effective IDs at socket creation are used. The `:` range operator is not supported. Combine with `self` to avoid matching forwarded traffic to the same port.',
  dialectNote: 'FreeBSD documents the value `unknown` (with `=` or `!=` only) for forwarded connections.',
});
k('user', 'other', 'Log option: also records the uid and pid of the local socket the packet belongs to.', {
  syntax: 'log (user)',
  parents: ['log'],
});
k('to', 'filter-option', 'Destination part of a rule: address(es) and optional port(s) the packet is sent to.', {
  syntax: 'to (any | address | <table> | { list } | self | no-route | route label) [port spec]',
  detail: 'Inside `log (…)`, `to pflogN` instead chooses the pflog interface.',
});
k('to', 'other', 'Log option: send the log entries to this pflog interface instead of pflog0.', {
  syntax: 'log (to pflogN)',
  parents: ['log'],
});
k('from', 'filter-option', 'Source part of a rule: address(es), optional port(s) and OS fingerprint of the sender.', {
  syntax: 'from (any | address | <table> | { list } | self | no-route | urpf-failed | route label) [port spec] [os "name"]',
  detail: 'Addresses can be CIDR blocks, host names, interface names or groups (optionally with `:network`, `:broadcast`, `:peer`, `:0`, or in parentheses to follow address changes), tables, and ranges like `10.0.0.1 - 10.0.0.9`. `!` negates.',
});
k('quick', 'filter-option', 'If the packet matches this rule, evaluation stops here and this rule decides; later rules are skipped.', {
  syntax: 'quick',
});
k('on', 'filter-option', 'Restricts the rule to packets passing through the given interface or interface group (`!` negates, `{ }` lists). `any` means every interface except loopback.', {
  syntax: 'on interface | on { if1, if2 } | on any',
  dialectNote: 'OpenBSD also accepts `on rdomain n`.',
});
k('on', 'set-option', 'In `set skip on`: the interfaces (or groups) that pf does not filter at all.', {
  syntax: 'set skip on interface | set skip on { if1, if2 }',
  parents: ['set', 'skip'],
  man: man('OPTIONS'),
});
k('rdomain', 'filter-option', 'With `on rdomain n`: the rule applies to packets in routing domain n.', {
  syntax: 'on rdomain number',
  dialects: OB,
  dialectNote: 'OpenBSD only (routing domains).',
});
k('inet', 'filter-option', 'Restricts the rule to IPv4 packets.', {
  syntax: 'inet',
  detail: 'With `af-to`, it names the target address family.',
});
k('inet6', 'filter-option', 'Restricts the rule to IPv6 packets.', {
  syntax: 'inet6',
  detail: 'With `af-to`, it names the target address family.',
});
k('proto', 'filter-option', 'Restricts the rule to an IP protocol, by name from /etc/protocols or by number (for example tcp, udp, icmp, icmp6).', {
  syntax: 'proto name | number | { list }',
  dialectNote: 'In FreeBSD `ether` rules, `proto` takes an Ethernet protocol number instead.',
});
k('any', 'address', 'Any address (in `from`/`to`), or any interface except loopback (in `on`, `received-on`).', {
  syntax: 'any',
  detail: 'In `flags any`, it means that the TCP flags are not checked.',
});
k('port', 'filter-option', 'Matches TCP/UDP (and on FreeBSD SCTP) ports by number or /etc/services name, with operators `=`, `!=`, `<`, `<=`, `>`, `>=`, ranges `a:b` (inclusive), `a >< b` (exclusive) and `a <> b` (outside).', {
  syntax: 'port [op] port | port a:b | port a >< b | port a <> b | port { list }',
  detail: 'In translation and `divert-to` targets, `port` is the new port; `rdr-to … port a:*` maps a range one to one.',
});
k('flags', 'filter-option', 'Matches TCP packets whose flags out of the second set equal the first set; letters: F = FIN, S = SYN, R = RST, P = PUSH, A = ACK, U = URG, E = ECE, W = CWR.', {
  syntax: 'flags set/mask | flags /mask | flags any',
  default: 'flags S/SA for stateful TCP rules',
  detail: 'Because of the `S/SA` default only the initial SYN creates a state. `flags any` lets states be created from mid-connection packets (e.g. after a state flush), but such states lack details like window scaling, and modulated, synproxied, translated or scrubbed connections cannot recover that way.',
});
k('icmp-type', 'filter-option', 'Matches ICMP (IPv4) packets of the given type and optional code, by name or number; needs `proto icmp`.', {
  syntax: 'icmp-type type [code code] | icmp-type { … }',
  detail: 'Replies are matched to the state of their request; other ICMP replies are refused unless the rule is stateless or uses `keep state (sloppy)`.',
});
k('icmp6-type', 'filter-option', 'Matches ICMPv6 packets of the given type and optional code, by name or number; needs `proto icmp6`.', {
  syntax: 'icmp6-type type [code code] | icmp6-type { … }',
});
k('code', 'filter-option', 'ICMP/ICMPv6 code to match after `icmp-type`/`icmp6-type`, by name (for example `port-unr`) or number.', {
  syntax: 'icmp-type type code code',
  parents: ['icmp-type', 'icmp6-type'],
});
k('tos', 'filter-option', 'Matches packets with the given TOS/DSCP value: a name (lowdelay, throughput, reliability, critical, inetcontrol, netcontrol, ef, af11…af43, cs0…cs7) or a decimal/hex number.', {
  syntax: 'tos name | number',
  dialectNote: 'FreeBSD also knows the DSCP name `va`.',
});
k('tos', 'filter-option', 'With `set tos`: rewrites the TOS/DSCP field of matching packets to the given name or number.', {
  syntax: 'set tos name | number',
  parents: ['set'],
  dialects: OB,
  dialectNote: 'OpenBSD. FreeBSD uses the scrub option `set-tos` instead.',
});
k('keep', 'state-option', 'With `keep state`: create a state entry for the connection (the default for `pass` rules); optional `( … )` state options follow.', {
  syntax: 'keep state [(state-option, …)]',
  man: man('STATEFUL FILTERING', 'STATEFUL TRACKING OPTIONS'),
});
k('modulate', 'state-option', 'With `modulate state`: keep state and replace the TCP initial sequence numbers with strong random ones. TCP only.', {
  syntax: 'modulate state [(state-option, …)]',
  detail: 'Modulated connections cannot be recovered after the state table is lost (flush, reboot). Keep the default `flags S/SA` on such rules to avoid ACK storms.',
  man: man('State Modulation', 'STATE MODULATION'),
});
k('synproxy', 'state-option', 'With `synproxy state`: pf completes the TCP handshake with the client itself and only then connects to the server, so spoofed SYN floods never reach it. Includes `modulate state`.', {
  syntax: 'synproxy state [(state-option, …)]',
  detail: 'Does not work when pf runs on a bridge(4), and acts only on incoming SYNs.',
  man: man('SYN Proxy', 'SYN PROXY'),
});
k('state', 'state-option', 'Completes `keep state`, `modulate state`, `synproxy state` or `no state`.', {
  syntax: '(keep | modulate | synproxy) state [(options)] | no state',
  man: man('STATEFUL FILTERING', 'STATEFUL TRACKING OPTIONS'),
});
k('fragment', 'filter-option', 'The rule applies only to IP fragments (not to whole packets).', {
  syntax: 'fragment',
  detail: 'Without reassembly, fragments can only be filtered on IP header fields; rules naming ports or ICMP types never match them.',
  man: man('Fragment Handling', 'FRAGMENT HANDLING'),
});
k('fragment', 'scrub-option', 'In a scrub rule: `fragment reassemble` buffers fragments until the whole packet can be passed to the filter (the default for scrub rules); `fragment crop` and `fragment drop-ovl` are older alternatives.', {
  syntax: 'fragment reassemble | fragment crop | fragment drop-ovl',
  parents: SCRUB_PARENTS,
  dialects: FM,
  man: man('Fragment Handling', 'Scrub ruleset (pre-FreeBSD 14)'),
  dialectNote: 'Scrub rules exist on FreeBSD and macOS only. On OpenBSD, fragment reassembly is controlled by `set reassemble`.',
});
k('allow-opts', 'filter-option', 'Lets packets with IP options (IPv4) or IPv6 option headers pass on this `pass` rule; by default such packets are blocked.', {
  syntax: 'allow-opts',
  detail: 'Only the last matching `pass` rule counts; for packets matching a state, the rule that created the state. The implicit default pass does not allow options.',
  dialectNote: 'OpenBSD: IPv6 hop-by-hop and destination option headers (type 0 routing headers are always dropped). FreeBSD: IPv6 routing extension headers.',
});
k('label', 'filter-option', 'Names the rule; `pfctl -s labels` shows per-label statistics. The text may use the macros $if, $srcaddr, $dstaddr, $srcport, $dstport, $proto and $nr, expanded when the ruleset is loaded.', {
  syntax: 'label "text"',
  detail: 'A label also stops the ruleset optimiser from merging the rule with others.',
});
k('tag', 'filter-option', 'Marks matching packets with an internal tag that later rules can test with `tagged`. The tag sticks: it is applied even when a later rule decides the packet\'s fate, and it only changes when another rule assigns a different tag (a packet carries one tag at most).', {
  syntax: 'tag name',
});
k('tagged', 'filter-option', 'Matches only packets that already carry the given tag (`! tagged` negates).', {
  syntax: '[!] tagged name',
});
k('rtable', 'filter-option', 'Uses the given alternate routing table for the route lookup; only effective before the lookup happens, i.e. on inbound filtering.', {
  syntax: 'rtable number',
  dialectNote: 'On FreeBSD routing tables are FIBs (setfib(1)).',
});
k('probability', 'filter-option', 'The rule matches only the given percentage of the packets it would otherwise match, at random.', {
  syntax: 'probability number%',
  detail: 'Example: `block in proto icmp probability 20%` drops about one in five incoming ICMP packets.',
});
k('prio', 'filter-option', 'Matches packets that already have the given queueing priority (0–7).', {
  syntax: 'prio number',
  dialects: OF,
});
k('prio', 'filter-option', 'With `set prio`: assigns a queueing priority 0–7 (higher is sent first); with two values, TCP ACKs without data and `lowdelay` packets get the second one.', {
  syntax: 'set prio n | set prio (n, m)',
  default: '3',
  detail: 'These per-interface priority queues are always active and need no queue definitions. On vlan(4) interfaces the priority is also written into the 802.1Q header.',
  parents: ['set'],
  dialects: OF,
});
k('delay', 'filter-option', 'With `set delay`: holds matching packets at the outgoing interface for the given number of milliseconds.', {
  syntax: 'set delay milliseconds',
  parents: ['set'],
  dialects: OB,
  dialectNote: 'OpenBSD only. The delay queue is limited by `set limit pktdelay_pkts`.',
});
k('queue', 'filter-option', 'With `set queue`: assigns matching packets to a queue; with two queues, TCP ACKs without data and `lowdelay` packets go to the second.', {
  syntax: 'set queue name | set queue (name, name)',
  parents: ['set'],
  dialects: OB,
  man: man('QUEUEING'),
  dialectNote: 'OpenBSD syntax; FreeBSD and macOS write just `queue`.',
});
k('once', 'filter-option', 'One-shot rule: after the first matching packet the rule expires and is skipped (and hidden unless pfctl runs in verbose or debug mode).', {
  syntax: 'once',
  dialects: OB,
  dialectNote: 'OpenBSD only.',
});
k('max-pkt-rate', 'filter-option', 'The rule stops matching while more than the given number of packets per interval match it (counted in the direction that created the state).', {
  syntax: 'max-pkt-rate number/seconds',
  detail: 'Example: `pass in inet proto icmp max-pkt-rate 50/5` passes at most 50 ICMP packets per 5 seconds; above that rate the rule no longer matches and an earlier `block` applies.',
  dialects: OB,
  dialectNote: 'OpenBSD only.',
});
k('received-on', 'filter-option', 'Matches packets that originally arrived on the given interface or group (`!` negates); useful on outbound rules.', {
  syntax: '[!] received-on interface',
  dialects: OF,
});
k('os', 'filter-option', 'Matches TCP SYN packets whose passive OS fingerprint (see pf.os(5)) fits the given class, version or subtype, e.g. `os OpenBSD`, `os "Windows 98"`, `os unknown`.', {
  syntax: 'from … os "name" | os { list }',
  detail: 'Fingerprints are easily spoofed, so use them for policy, not security. `pfctl -so` lists the known fingerprints.',
  man: man('OPERATING SYSTEM FINGERPRINTING'),
});
k('group', 'filter-option', 'Matches packets of sockets owned by the given group (name or gid; operators and lists as for ports); TCP and UDP only.', {
  syntax: 'group name | group op id | group { … }',
});
k('ridentifier', 'filter-option', 'Attaches a number to the rule that appears in pflog entries, so log lines can be tied to a rule across ruleset reloads.', {
  syntax: 'ridentifier number',
  dialects: FB,
  dialectNote: 'FreeBSD only.',
});
k('dnpipe', 'filter-option', 'Sends matching packets through a dummynet(4) pipe; with two numbers the second pipe shapes the reply direction.', {
  syntax: 'dnpipe number | dnpipe (number, number)',
  dialects: FB,
  man: man('QUEUEING', 'QUEUEING with dummynet'),
  dialectNote: 'FreeBSD only; pipes are created with dnctl(8). Without the dummynet module, traffic sent to a pipe is dropped.',
});
k('dnqueue', 'filter-option', 'Sends matching packets through a dummynet(4) queue; with two numbers the second queue shapes the reply direction.', {
  syntax: 'dnqueue number | dnqueue (number, number)',
  dialects: FB,
  man: man('QUEUEING', 'QUEUEING with dummynet'),
  dialectNote: 'FreeBSD only; queues are created with dnctl(8).',
});
k('bridge-to', 'filter-option', 'In an `ether` rule: matching frames are sent straight out of the given interface without further processing.', {
  syntax: 'ether pass … bridge-to interface',
  dialects: FB,
  man: man('PACKET FILTERING', 'ETHERNET FILTERING'),
  dialectNote: 'FreeBSD only.',
});
k('l3', 'filter-option', 'In an `ether` rule: additionally matches the IP source and destination addresses carried in the frame.', {
  syntax: 'ether … l3 from address to address',
  dialects: FB,
  man: man('PACKET FILTERING', 'GRAMMAR'),
  dialectNote: 'FreeBSD only.',
});
k('weight', 'pool-option', 'Weight of an address in a redirection pool (1–65535); addresses with a higher weight are chosen more often by `round-robin` and `least-states`.', {
  syntax: 'rdr-to { 10.0.0.1 weight 2, 10.0.0.2 weight 1 } round-robin',
  dialects: OB,
  man: man('Translation'),
  dialectNote: 'OpenBSD only.',
});

// block return options
k('drop', 'filter-option', 'Block option: the packet is silently discarded.', {
  syntax: 'block drop …',
  detail: 'This is also what plain `block` does unless `set block-policy return` is in effect.',
  parents: ['block'],
});
k('drop', 'other', 'Value of `set block-policy` / `set fail-policy`: silently drop.', {
  syntax: 'set block-policy drop',
  parents: ['block-policy', 'fail-policy', 'set'],
  man: man('OPTIONS'),
});
k('return', 'filter-option', 'Block option: answer TCP with a RST and other protocols with ICMP unreachable.', {
  syntax: 'block return …',
  dialectNote: 'FreeBSD also sends an SCTP ABORT for SCTP.',
  parents: ['block'],
});
k('return', 'other', 'Value of `set block-policy` / `set fail-policy`: reply with a TCP RST or ICMP unreachable.', {
  syntax: 'set block-policy return',
  parents: ['block-policy', 'fail-policy', 'set'],
  man: man('OPTIONS'),
});
k('return-rst', 'filter-option', 'Block option for TCP: answer with a RST that tears down the connection; `(ttl n)` sets the TTL of the RST.', {
  syntax: 'block return-rst [(ttl n)] …',
});
k('return-icmp', 'filter-option', 'Block option: answer with an ICMP message, by default "unreachable"; another ICMP (and ICMPv6) code may be given by name or number.', {
  syntax: 'block return-icmp [(icmp-code [, icmp6-code])] …',
  detail: 'ICMP replies currently have no effect when pf filters on a bridge.',
});
k('return-icmp6', 'filter-option', 'Block option: answer IPv6 packets with an ICMPv6 message, by default "unreachable", or the given code.', {
  syntax: 'block return-icmp6 [(icmp6-code)] …',
});
k('ttl', 'other', 'TTL of the TCP RST sent by `return-rst (ttl n)`.', {
  syntax: 'return-rst (ttl number)',
  parents: ['return-rst'],
});

// divert
k('divert-to', 'filter-option', 'Hands matching packets, unchanged, to a local socket bound to the given address and port; the application can still read the original destination.', {
  syntax: 'divert-to host port port',
  detail: 'Typical use: `pass in on egress proto tcp to port smtp divert-to 127.0.0.1 port spamd`.',
  dialects: OF,
  dialectNote: 'Different meaning on FreeBSD: the packets go to a divert(4) socket on the given port, and the host part is ignored (write 127.0.0.1). Use `rdr` to feed spamd on FreeBSD.',
});
k('divert-reply', 'filter-option', 'Lets replies reach sockets bound to non-local addresses (transparent proxies); see setsockopt(2).', {
  syntax: 'divert-reply',
  dialects: OB,
  dialectNote: 'FreeBSD accepts it but it has no meaning there.',
});
k('divert-packet', 'filter-option', 'Hands matching packets to the divert(4) socket listening on the given divert port.', {
  syntax: 'divert-packet port port',
  detail: 'With the default fragment reassembly, TCP reassembly (`reassemble tcp`) is enabled for these rules too.',
  dialects: OB,
  dialectNote: 'OpenBSD only; FreeBSD uses `divert-to … port` for divert(4).',
});

// routing
k('route-to', 'filter-option', 'Routes matching packets to the given next hop instead of using the routing table; when the rule creates state, only packets in the rule\'s direction are rerouted.', {
  syntax: 'route-to address | route-to { list } [pool-type]   (OpenBSD)\nroute-to (interface [address]) [pool-type]   (FreeBSD, macOS)',
  man: man('Routing', 'ROUTING'),
  dialectNote: 'OpenBSD takes next-hop addresses; FreeBSD and macOS take `(interface address)` pairs.',
});
k('reply-to', 'filter-option', 'Routes the replies of a stateful connection (packets in the opposite direction) to the given next hop, enforcing symmetric routing on multi-homed hosts.', {
  syntax: 'reply-to address | reply-to (interface [address])',
  man: man('Routing', 'ROUTING'),
  dialectNote: 'FreeBSD and macOS write `(interface address)`.',
});
k('dup-to', 'filter-option', 'Sends a copy of each matching packet to the given next hop (as with `route-to`) while the original is routed normally.', {
  syntax: 'dup-to address | dup-to (interface [address])',
  man: man('Routing', 'ROUTING'),
});
k('fastroute', 'filter-option', 'Old route option: route the packet by the normal routing table lookup, bypassing later processing.', {
  syntax: 'fastroute',
  dialects: MAC,
  man: man('Routing', 'ROUTING'),
  dialectNote: 'Removed from OpenBSD and FreeBSD pf; only older pf such as macOS\'s still knows it.',
});

// translation options (OpenBSD style)
k('nat-to', 'translation', 'Rewrites the source address (and port) of matching packets to the given address, interface address or pool; usually on outbound rules.', {
  syntax: 'nat-to address | (interface) | { pool } [port p[:q]] [pool-type] [static-port]',
  detail: 'Creates state so replies are translated back. Use addresses from RFC 1918 space on the inside. Inbound `nat-to` to a local address is not supported.',
  dialects: OB,
  man: man('Translation'),
  dialectNote: 'OpenBSD (4.7 and later). FreeBSD pf.conf(5) as of 2025 and macOS use the separate `nat … -> address` rule instead.',
});
k('rdr-to', 'translation', 'Redirects matching packets to another destination address and optionally port (port forwarding); usually on inbound rules.', {
  syntax: 'rdr-to address | { pool } [port p | port p:*] [pool-type]',
  detail: '`port 2000:2999 … rdr-to … port 4000` sends the whole range to 4000; `port 4000:*` maps it one to one onto 4000–4999. Outbound `rdr-to` to a local address is not supported.',
  dialects: OB,
  man: man('Translation'),
  dialectNote: 'OpenBSD (4.7 and later). FreeBSD and macOS use `rdr … -> address`.',
});
k('binat-to', 'translation', 'Bidirectional one-to-one mapping between an internal and an external address; equivalent to an outbound `nat-to … static-port` plus an inbound `rdr-to`. Ports are never changed.', {
  syntax: 'binat-to address[/bits]',
  dialects: OB,
  man: man('Translation'),
  dialectNote: 'OpenBSD. FreeBSD and macOS use `binat … -> address`.',
});
k('af-to', 'translation', 'Translates between IPv4 and IPv6 (NAT64/NAT46) on inbound rules; a source address for the new family must be given, and optionally a destination prefix.', {
  syntax: 'af-to inet | inet6 from address [to address/prefix]',
  detail: 'Without `to`, IPv6→IPv4 uses the low 32 bits of the IPv6 destination and IPv4→IPv6 embeds the IPv4 address into the /96 of the new source (RFC 6052). Only prefixes of /96 or longer can be used to extract IPv4 addresses.',
  dialects: OF,
  man: man('Translation', 'TRANSLATION'),
});

// pool options
k('bitmask', 'pool-option', 'Pool type: keep the host part of the original address and replace its network part with that of the translation address (source for NAT, destination for redirects).', {
  syntax: '… bitmask',
  detail: 'Not allowed when several addresses or a table are given.',
  parents: POOL_PARENTS,
  man: man('Translation', 'POOL OPTIONS'),
});
k('random', 'pool-option', 'Pool type: pick a random address from the translation block.', {
  syntax: '… random [sticky-address]',
  parents: POOL_PARENTS,
  man: man('Translation', 'POOL OPTIONS'),
});
k('source-hash', 'pool-option', 'Pool type: choose the translation address from a hash of the source address, so a given source always gets the same address; an optional hex or string key seeds the hash (otherwise pfctl picks a random key at each load).', {
  syntax: '… source-hash [key] [sticky-address]',
  parents: POOL_PARENTS,
  man: man('Translation', 'POOL OPTIONS'),
});
k('round-robin', 'pool-option', 'Pool type: cycle through the translation addresses (respecting weights on OpenBSD).', {
  syntax: '… round-robin [sticky-address]',
  parents: POOL_PARENTS,
  man: man('Translation', 'POOL OPTIONS'),
});
k('least-states', 'pool-option', 'Pool type: pick the pool address with the fewest active states, respecting weights.', {
  syntax: '… least-states [sticky-address]',
  parents: POOL_PARENTS,
  dialects: OB,
  man: man('Translation'),
  dialectNote: 'OpenBSD only.',
});
k('static-port', 'pool-option', 'With NAT: keep the original source port of TCP and UDP packets instead of picking a new one.', {
  syntax: 'nat-to … static-port | nat … -> address static-port',
  parents: POOL_PARENTS,
  man: man('Translation', 'POOL OPTIONS'),
});
k('sticky-address', 'pool-option', 'Keeps mapping connections from the same source to the same pool address for as long as states (and, with `set timeout src.track`, source-tracking entries) refer to it.', {
  syntax: '… round-robin | random | … sticky-address',
  parents: POOL_PARENTS,
  man: man('Translation', 'POOL OPTIONS'),
  dialectNote: 'FreeBSD documents it with `random` and `round-robin`; OpenBSD also with `least-states` and `source-hash`.',
});
k('map-e-portset', 'pool-option', 'With `nat`: translate source ports the way a MAP-E (RFC 7597) Customer Edge must, given PSID offset, PSID length and PSID.', {
  syntax: 'nat … -> address map-e-portset offset/length/psid',
  detail: 'Also needs a tunnel interface and pass rules for the encapsulated traffic.',
  parents: POOL_PARENTS,
  dialects: FB,
  man: man('Translation', 'POOL OPTIONS'),
  dialectNote: 'FreeBSD only.',
});
k('endpoint-independent', 'pool-option', 'With `nat`: keep using one NAT address and port for each UDP source address and port, whatever the destination ("full-cone" NAT).', {
  syntax: 'nat … -> address endpoint-independent',
  parents: POOL_PARENTS,
  dialects: FB,
  man: man('Translation', 'POOL OPTIONS'),
  dialectNote: 'FreeBSD only.',
});

// ====================================================================== state options

k('max', 'state-option', 'Upper limit on the number of states this rule may have at once; further connections are refused until some states expire.', {
  syntax: 'keep state (max number)',
  parents: STATE_PARENTS,
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('max', 'queue-option', 'Upper bound on the bandwidth a queue may use, even when more is free; may have its own `burst`.', {
  syntax: 'queue … max bandwidth',
  parents: QUEUE_PARENTS,
  dialects: OB,
  man: man('QUEUEING'),
  dialectNote: 'OpenBSD queueing.',
});
k('max-src-nodes', 'state-option', 'Upper limit on the number of distinct source addresses that may have states from this rule at once.', {
  syntax: 'keep state (max-src-nodes number)',
  detail: 'Needs source tracking; pfctl uses `source-track rule` when no `source-track` is given.',
  parents: STATE_PARENTS,
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('max-src-states', 'state-option', 'Upper limit on the number of states a single source address may have from this rule.', {
  syntax: 'keep state (max-src-states number)',
  parents: STATE_PARENTS,
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('max-src-conn', 'state-option', 'Upper limit on simultaneous fully established TCP connections (handshake completed) from one source address.', {
  syntax: 'keep state (max-src-conn number)',
  detail: 'Because the handshake proves the source is not spoofed, hosts exceeding it can be put in a table with `overload <table>`.',
  parents: STATE_PARENTS,
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('max-src-conn-rate', 'state-option', 'Upper limit on the rate of new established TCP connections from one source: n connections per s seconds (a moving average).', {
  syntax: 'keep state (max-src-conn-rate number/seconds)',
  detail: 'Example: `keep state (max-src-conn-rate 30/5, overload <abusers> flush)`.',
  parents: STATE_PARENTS,
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('overload', 'state-option', 'Adds source addresses that exceed `max-src-conn` or `max-src-conn-rate` to the given table, which other rules can then block, redirect or throttle.', {
  syntax: 'keep state (… overload <table> [flush [global]])',
  parents: STATE_PARENTS,
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('flush', 'state-option', 'After `overload <table>`: also kill the offending host\'s states created by this rule (`flush global`: all its states, whatever rule created them).', {
  syntax: 'overload <table> flush [global]',
  parents: ['overload', ...STATE_PARENTS],
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('global', 'state-option', 'After `flush`: kill all states of the offending host; after `source-track`: count states of all rules using source tracking together.', {
  syntax: 'flush global | source-track global',
  parents: ['flush', 'source-track', ...STATE_PARENTS],
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('rule', 'state-option', 'After `source-track`: limits count only the states created by this rule (the default).', {
  syntax: 'source-track rule',
  parents: ['source-track', ...STATE_PARENTS],
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('source-track', 'state-option', 'Tracks states per source address, which the `max-src-*` limits and sticky pools rely on; `rule` (default) counts this rule\'s states, `global` counts all rules using `source-track global`.', {
  syntax: 'keep state (source-track [rule | global])',
  detail: 'Source-tracking entries live in the `src-nodes` pool (`set limit src-nodes`) and can outlive their states with `set timeout src.track`.',
  parents: STATE_PARENTS,
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('no-sync', 'state-option', 'State changes of this rule\'s states are not sent out on the pfsync(4) interface.', {
  syntax: 'keep state (no-sync)',
  parents: STATE_PARENTS,
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('pflow', 'state-option', 'States of this rule are exported as flow records on the pflow(4) interface.', {
  syntax: 'keep state (pflow)',
  parents: STATE_PARENTS,
  dialects: OF,
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('sloppy', 'state-option', 'Uses a loose TCP tracker that ignores sequence numbers, for asymmetric routing where pf sees only one direction; for ICMP it also lets replies create states. Weakens protection; not usable with modulate or synproxy state.', {
  syntax: 'keep state (sloppy)',
  parents: STATE_PARENTS,
  dialects: OF,
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
  dialectNote: 'The ICMP behaviour is documented by OpenBSD.',
});
k('if-bound', 'state-option', 'States are bound to the interface they were created on and match only packets on that interface.', {
  syntax: 'keep state (if-bound) | set state-policy if-bound',
  parents: [...STATE_PARENTS, 'state-policy'],
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('floating', 'state-option', 'States may match packets on any interface (the default).', {
  syntax: 'keep state (floating) | set state-policy floating',
  parents: [...STATE_PARENTS, 'state-policy'],
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('allow-related', 'state-option', 'Automatically allow connections related to this one (currently the extra associations of multihomed SCTP).', {
  syntax: 'keep state (allow-related)',
  parents: STATE_PARENTS,
  dialects: FB,
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
  dialectNote: 'FreeBSD only.',
});

// ====================================================================== scrub options

k('no-df', 'scrub-option', 'Clears the "don\'t fragment" bit of matching IPv4 packets, so fragmented DF packets (seen from some NFS implementations) are not dropped.', {
  syntax: 'scrub (no-df)',
  detail: 'Combine with `random-id`, since some systems send DF packets with an IP ID of zero. After `set reassemble yes`, `no-df` makes pf reassemble DF fragments too.',
  parents: [...SCRUB_PARENTS, 'reassemble'],
  man: man('Scrub'),
});
k('min-ttl', 'scrub-option', 'Raises the TTL of matching IP packets to at least this value.', {
  syntax: 'scrub (min-ttl number)',
  parents: SCRUB_PARENTS,
  man: man('Scrub'),
});
k('max-mss', 'scrub-option', 'Lowers the MSS option of TCP SYN packets to at most this value, which helps when the path cannot carry full-size packets (PPPoE, tunnels).', {
  syntax: 'scrub (max-mss number)',
  detail: 'May interfere with OS fingerprinting.',
  parents: SCRUB_PARENTS,
  man: man('Scrub'),
});
k('random-id', 'scrub-option', 'Replaces the IPv4 identification field of unfragmented packets with random values.', {
  syntax: 'scrub (random-id)',
  parents: SCRUB_PARENTS,
  man: man('Scrub'),
});
k('reassemble', 'scrub-option', '`reassemble tcp`: normalises TCP connections statefully — TTLs cannot decrease, timestamps are modulated with a random offset, and stricter PAWS checks are applied.', {
  syntax: 'scrub (reassemble tcp)',
  parents: SCRUB_PARENTS,
  man: man('Scrub'),
});
k('tcp', 'scrub-option', 'In `reassemble tcp`: the TCP part of stateful normalisation (TTLs may not shrink, timestamps get a random offset, PAWS is checked more strictly).', {
  syntax: 'scrub (reassemble tcp)',
  parents: ['reassemble'],
  man: man('Scrub'),
});
k('reassemble', 'set-option', 'Turns reassembly of fragmented packets on or off; with `no-df`, fragments with the don\'t-fragment bit are reassembled (and the bit cleared) instead of dropped.', {
  syntax: 'set reassemble yes | no [no-df]',
  default: 'yes on OpenBSD; no on FreeBSD',
  parents: ['set'],
  dialects: OF,
  man: man('OPTIONS'),
  values: ['yes', 'no', 'no-df'],
  dialectNote: 'The default differs: on (yes) in OpenBSD, off (no) in FreeBSD. FreeBSD ignores it when old-style scrub rules are present.',
});
k('reassemble', 'scrub-option', '`fragment reassemble` in a scrub rule: buffer fragments and pass only whole packets to the filter.', {
  syntax: 'scrub … fragment reassemble',
  parents: ['fragment'],
  dialects: FM,
  man: man('Fragment Handling', 'Scrub ruleset (pre-FreeBSD 14)'),
});
k('set-tos', 'scrub-option', 'Scrub option that rewrites the TOS/DSCP of matching packets (name or number).', {
  syntax: 'scrub (set-tos name | number)',
  parents: SCRUB_PARENTS,
  dialects: FB,
  man: man('Scrub'),
  dialectNote: 'FreeBSD. OpenBSD uses the rule option `set tos`.',
});
k('crop', 'scrub-option', '`fragment crop`: keep fragments and drop duplicate or overlapping parts without buffering whole packets.', {
  syntax: 'scrub … fragment crop',
  parents: ['fragment', ...SCRUB_PARENTS],
  dialects: MAC,
  man: man('Fragment Handling', 'Scrub ruleset (pre-FreeBSD 14)'),
  dialectNote: 'Old pf only; no longer in OpenBSD or FreeBSD pf.conf(5). macOS still has it.',
});
k('drop-ovl', 'scrub-option', '`fragment drop-ovl`: like `fragment crop`, but drop the whole fragment (and later ones of the packet) when an overlap is seen.', {
  syntax: 'scrub … fragment drop-ovl',
  parents: ['fragment', ...SCRUB_PARENTS],
  dialects: MAC,
  man: man('Fragment Handling', 'Scrub ruleset (pre-FreeBSD 14)'),
  dialectNote: 'Old pf only; no longer in OpenBSD or FreeBSD pf.conf(5). macOS still has it.',
});

// ====================================================================== queue / altq

k('bandwidth', 'queue-option', 'Bandwidth of a queue or interface: bits per second with K/M/G suffixes (OpenBSD) or b/Kb/Mb/Gb or a percentage of the parent (ALTQ). Must not exceed the interface or parent bandwidth.', {
  syntax: 'bandwidth 10M | bandwidth 5Mb | bandwidth 20%',
  detail: 'On OpenBSD it is the target rate; a queue may borrow more while the parent has spare capacity, up to `max`.',
  parents: QUEUE_PARENTS,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
  dialectNote: 'OpenBSD suffixes K, M, G; ALTQ suffixes b, Kb, Mb, Gb and %. `priq` has no bandwidth per queue.',
});
k('parent', 'queue-option', 'Name of the queue this queue hangs under; required for every queue except the root queue of an interface.', {
  syntax: 'queue name parent parentname …',
  parents: QUEUE_PARENTS,
  dialects: OB,
  man: man('QUEUEING'),
  dialectNote: 'OpenBSD. With ALTQ the parent lists its children in `{ }` instead.',
});
k('min', 'queue-option', 'Bandwidth reserved for the queue (its guaranteed minimum); may have its own `burst`.', {
  syntax: 'queue … min bandwidth',
  parents: QUEUE_PARENTS,
  dialects: OB,
  man: man('QUEUEING'),
  dialectNote: 'OpenBSD queueing.',
});
k('burst', 'queue-option', 'Extra bandwidth the queue may use for a limited time at the start of a transfer: `burst rate for N ms`.', {
  syntax: 'bandwidth 10M burst 90M for 100ms',
  parents: QUEUE_PARENTS,
  dialects: OB,
  man: man('QUEUEING'),
});
k('for', 'other', 'In `antispoof for interface`: the interface(s) whose networks are protected. In a queue: `burst … for N ms` gives the burst duration.', {
  syntax: 'antispoof for interface | burst bw for ms',
  man: man('Blocking Spoofed Traffic', 'BLOCKING SPOOFED TRAFFIC'),
});
k('flows', 'queue-option', 'Use the flow queue manager (FQ-CoDel) with about this many flows for fair sharing among connections (at most 32767).', {
  syntax: 'queue … flows number',
  detail: 'Without `bandwidth`, the flow queue becomes the interface\'s single default queue and no hierarchy is possible. Set `max` to 90–95% of the real link speed.',
  parents: QUEUE_PARENTS,
  dialects: OB,
  man: man('QUEUEING'),
});
k('quantum', 'queue-option', 'Quantum (bytes) of the flow queue manager; smaller values favour flows of small packets over bulk transfers.', {
  syntax: 'queue … flows n quantum bytes',
  default: 'the interface MTU',
  parents: QUEUE_PARENTS,
  dialects: OB,
  man: man('QUEUEING'),
});
k('qlimit', 'queue-option', 'How many packets the queue may hold before it starts dropping.', {
  syntax: 'qlimit number',
  default: '50',
  parents: QUEUE_PARENTS,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
});
k('default', 'queue-option', 'Marks the queue that takes every packet no rule assigned elsewhere; each interface needs one such queue, and only one.', {
  syntax: 'queue … default | cbq(default)',
  parents: [...QUEUE_PARENTS, ...SCHED_PARENTS],
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
  dialectNote: 'OpenBSD writes `default` as a queue option; ALTQ writes it as a scheduler parameter, e.g. `cbq(default)`.',
});
k('priority', 'queue-option', 'ALTQ queue priority: 0–7 for cbq and hfsc (preferred under overload), 0–15 for priq (higher always served first).', {
  syntax: 'queue … priority number',
  default: '1',
  parents: QUEUE_PARENTS,
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
  dialectNote: 'ALTQ (FreeBSD, macOS). OpenBSD uses `set prio` in filter rules instead.',
});
k('tbrsize', 'queue-option', 'Token bucket regulator size (bytes) for an `altq` interface; pf derives it from the interface speed when omitted.', {
  syntax: 'altq on if … tbrsize bytes',
  parents: ['altq'],
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
});
k('cbq', 'queue-option', 'ALTQ scheduler Class Based Queueing: a tree of classes, each with a bandwidth share and priority; children may borrow from their parent.', {
  syntax: 'altq on if cbq … | queue … cbq(default, borrow, red, ecn, rio)',
  parents: QUEUE_PARENTS,
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
});
k('priq', 'queue-option', 'ALTQ scheduler Priority Queueing: flat queues with unique priorities 0–15; the highest non-empty queue is always served first.', {
  syntax: 'altq on if priq … | queue … priq(default, red, ecn, rio)',
  parents: QUEUE_PARENTS,
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
});
k('hfsc', 'queue-option', 'ALTQ scheduler Hierarchical Fair Service Curve: a tree of queues with separate service curves for link sharing, real-time guarantees and upper limits, decoupling delay from bandwidth.', {
  syntax: 'altq on if hfsc … | queue … hfsc(default, realtime sc, linkshare sc, upperlimit sc, red, ecn, rio)',
  parents: QUEUE_PARENTS,
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
});
k('fairq', 'queue-option', 'ALTQ scheduler Fair Queueing: flat queues where each flow within a queue gets a fair share.', {
  syntax: 'altq on if fairq … | queue … fairq(…)',
  parents: QUEUE_PARENTS,
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
  dialectNote: 'Accepted by FreeBSD\'s and macOS\'s pfctl but not described in FreeBSD\'s pf.conf(5).',
});
k('codel', 'queue-option', 'ALTQ CoDel active queue management (controlled delay), as a scheduler or queue parameter.', {
  syntax: 'altq on if codel … | queue … codel',
  parents: QUEUE_PARENTS,
  dialects: FB,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
  dialectNote: 'Accepted by FreeBSD\'s pfctl with ALTQ_CODEL kernels but not described in pf.conf(5). OpenBSD\'s `flows` queues use FQ-CoDel internally.',
});
k('red', 'queue-option', 'ALTQ parameter: Random Early Detection — drop packets with a probability that grows with the average queue length.', {
  syntax: 'cbq(red) | priq(red) | hfsc(red)',
  parents: SCHED_PARENTS,
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
});
k('rio', 'queue-option', 'ALTQ parameter: RED with In/Out (two RED instances); not in the GENERIC FreeBSD kernel.', {
  syntax: 'cbq(rio) | priq(rio) | hfsc(rio)',
  parents: SCHED_PARENTS,
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
});
k('ecn', 'queue-option', 'ALTQ parameter: Explicit Congestion Notification (implies RED): mark packets instead of dropping them when possible.', {
  syntax: 'cbq(ecn) | priq(ecn) | hfsc(ecn)',
  parents: SCHED_PARENTS,
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
});
k('borrow', 'queue-option', 'cbq parameter: the queue may borrow unused bandwidth from its parent.', {
  syntax: 'cbq(borrow)',
  parents: ['cbq'],
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
});
k('realtime', 'queue-option', 'hfsc parameter: minimum bandwidth guaranteed to the queue, as a service curve `m2` or `(m1, d, m2)`.', {
  syntax: 'hfsc(realtime bw | realtime (m1, d, m2))',
  detail: 'In `(m1, d, m2)` the queue gets m1 for the first d milliseconds, then m2.',
  parents: ['hfsc'],
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
});
k('upperlimit', 'queue-option', 'hfsc parameter: maximum bandwidth the queue may use, as a service curve.', {
  syntax: 'hfsc(upperlimit bw | upperlimit (m1, d, m2))',
  parents: ['hfsc'],
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
});
k('linkshare', 'queue-option', 'hfsc parameter: the share of spare bandwidth a backlogged queue gets, as a service curve.', {
  syntax: 'hfsc(linkshare bw | linkshare (m1, d, m2))',
  parents: ['hfsc'],
  dialects: FM,
  man: man('QUEUEING', 'QUEUEING with ALTQ'),
});

// ====================================================================== set options

k('timeout', 'set-option', 'Sets global state and fragment timeouts (seconds) and the adaptive scaling thresholds (states).', {
  syntax: 'set timeout name value | set timeout { name value, … }',
  detail: 'Each packet matching a state resets its timer to the value for the protocol and connection stage. Lower values save memory but may drop idle connections. `set optimization` adjusts them all at once.',
  parents: ['set'],
  man: man('OPTIONS'),
  values: [],
});
k('timeout', 'state-option', 'Per-rule timeouts: `tcp.established 60` etc. inside the state options override the global values for this rule\'s states.', {
  syntax: 'keep state (timeout-name seconds, …)',
  parents: STATE_PARENTS,
  man: man('Stateful Tracking Options', 'STATEFUL TRACKING OPTIONS'),
});
k('limit', 'set-option', 'Sets hard limits on pf\'s memory pools (states, source nodes, fragments, tables …).', {
  syntax: 'set limit name number | set limit { name number, … }',
  detail: 'When a pool is full, new states (or fragments, entries …) are refused until others expire.',
  parents: ['set'],
  man: man('OPTIONS'),
});
k('ruleset-optimization', 'set-option', 'Controls pfctl\'s ruleset optimiser: `none`, `basic` (remove duplicate and redundant rules, merge rules into tables, reorder) or `profile` (also reorder quick rules using the counters of the loaded ruleset).', {
  syntax: 'set ruleset-optimization none | basic | profile',
  default: 'basic',
  detail: 'Optimisation changes the meaning of per-rule counters; labels act as barriers. pfctl -o overrides this setting.',
  parents: ['set'],
  man: man('OPTIONS'),
  values: ['none', 'basic', 'profile'],
});
k('optimization', 'set-option', 'Tunes all state timeouts for a network type: `normal`, `high-latency` (alias `satellite`), `aggressive` (expire idle states early, less memory) or `conservative` (keep idle states longer).', {
  syntax: 'set optimization normal | high-latency | satellite | aggressive | conservative',
  default: 'normal',
  parents: ['set'],
  man: man('OPTIONS'),
  values: ['default', 'normal', 'high-latency', 'satellite', 'aggressive', 'conservative'],
});
k('loginterface', 'set-option', 'Collects packet and byte statistics for this interface (or group), shown by `pfctl -s info`; `none` turns it off.', {
  syntax: 'set loginterface interface | none',
  default: 'none',
  parents: ['set'],
  man: man('OPTIONS'),
});
k('block-policy', 'set-option', 'Default reply of `block` rules that do not say `drop` or `return`: drop silently, or return a TCP RST / ICMP unreachable (other protocols are dropped).', {
  syntax: 'set block-policy drop | return',
  default: 'drop',
  parents: ['set'],
  man: man('OPTIONS'),
  values: ['drop', 'return'],
  dialectNote: 'FreeBSD\'s `return` also answers SCTP with an ABORT chunk.',
});
k('fail-policy', 'set-option', 'What happens when a rule should pass a packet but cannot (e.g. NAT or route-to to an empty table, or no memory for state): `drop` or `return` (RST / ICMP unreachable).', {
  syntax: 'set fail-policy drop | return',
  parents: ['set'],
  dialects: FB,
  man: man('OPTIONS'),
  values: ['drop', 'return'],
  dialectNote: 'FreeBSD only.',
});
k('state-policy', 'set-option', 'Default binding of states: `if-bound` (only the interface that created them) or `floating` (any interface).', {
  syntax: 'set state-policy if-bound | floating',
  default: 'floating',
  parents: ['set'],
  man: man('OPTIONS'),
  values: ['if-bound', 'floating'],
});
k('state-defaults', 'set-option', 'State options applied to states of rules that do not give an explicit `keep state (…)`.', {
  syntax: 'set state-defaults option, …',
  detail: 'Example: `set state-defaults pflow, no-sync`.',
  parents: ['set'],
  dialects: OF,
  man: man('OPTIONS'),
});
k('fingerprints', 'set-option', 'Loads OS fingerprints for the `os` keyword from this file instead of the default.', {
  syntax: 'set fingerprints "file"',
  default: '/etc/pf.os',
  parents: ['set'],
  man: man('OPTIONS'),
});
k('skip', 'set-option', 'With `set skip on`: packets on these interfaces are not filtered at all, as if pf were disabled for them; typical for `lo0`.', {
  syntax: 'set skip on interface | set skip on { if1, if2 }',
  detail: 'All interfaces are filtered by default.',
  parents: ['set'],
  man: man('OPTIONS'),
});
k('debug', 'set-option', 'How much pf logs about its own operation.', {
  syntax: 'set debug emerg | alert | crit | err | warning | notice | info | debug   (OpenBSD)\nset debug none | urgent | misc | loud   (FreeBSD, macOS)',
  default: 'err (OpenBSD)',
  parents: ['set'],
  man: man('OPTIONS'),
  values: ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug', 'none', 'urgent', 'misc', 'loud'],
  dialectNote: 'OpenBSD uses syslog levels (emerg … debug); FreeBSD and macOS use none, urgent, misc, loud.',
});
k('hostid', 'set-option', 'The 32-bit id (decimal or hex) that marks this firewall\'s states in a pfsync(4) cluster; random by default.', {
  syntax: 'set hostid number',
  parents: ['set'],
  man: man('OPTIONS'),
});
k('syncookies', 'set-option', 'Answer TCP SYNs with SYN cookies instead of creating state: `never`, `always`, or `adaptive` — only while half-open connections fill more than a given share of the state table.', {
  syntax: 'set syncookies never | always | adaptive [(start n%, end m%)]',
  default: 'never',
  detail: 'The state is created (and the connection continued through synproxy) once the client answers. Like synproxy, connections may seem accepted and be dropped later.',
  parents: ['set'],
  dialects: OF,
  man: man('OPTIONS'),
  values: ['never', 'always', 'adaptive'],
});
k('keepcounters', 'set-option', 'Keep rule counters across ruleset reloads by matching old rules to new ones, instead of resetting them.', {
  syntax: 'set keepcounters',
  parents: ['set'],
  dialects: FB,
  man: man('OPTIONS'),
  dialectNote: 'FreeBSD only.',
});
k('keep-counters', 'other', 'Not a pf.conf keyword in OpenBSD or FreeBSD pf.conf(5); FreeBSD\'s option to preserve rule counters across reloads is spelled `set keepcounters`.', {
  syntax: 'set keepcounters',
  dialects: [],
  man: man('OPTIONS'),
  dialectNote: 'Write `set keepcounters` (FreeBSD).',
});
k('require-order', 'set-option', 'With `yes` (the default), pfctl insists on the statement order options, normalisation, queueing, translation, filtering; `no` lets them be mixed.', {
  syntax: 'set require-order yes | no',
  default: 'yes',
  parents: ['set'],
  dialects: FM,
  man: man('OPTIONS'),
  values: ['yes', 'no'],
  dialectNote: 'FreeBSD and macOS. OpenBSD has no fixed statement order (translation lives in filter rules).',
});

// timeouts ---------------------------------------------------------------
interface TimeoutRow { name: string; summary: string; def?: string; dialects?: Dialect[]; note?: string }
const TIMEOUTS: TimeoutRow[] = [
  { name: 'tcp.first', summary: 'TCP state after the first packet.', def: '120 s' },
  { name: 'tcp.opening', summary: 'TCP state after the second packet, before both ends have acknowledged the connection.', def: '30 s' },
  { name: 'tcp.established', summary: 'Fully established TCP connection.', def: '86400 s (24 h)' },
  { name: 'tcp.closing', summary: 'TCP state after the first FIN.', def: '900 s' },
  { name: 'tcp.finwait', summary: 'TCP state after both FINs; raising it (and tcp.closing) helps with hosts that send after closing.', def: '45 s' },
  { name: 'tcp.closed', summary: 'TCP state after one side sent a RST.', def: '90 s' },
  { name: 'tcp.tsdiff', summary: 'Largest allowed difference between RFC 1323 timestamps of packets of one connection.', def: '30 s', dialects: OB, note: 'OpenBSD only.' },
  { name: 'sctp.first', summary: 'SCTP state after the first packet.', dialects: FB, note: 'FreeBSD only (SCTP support).' },
  { name: 'sctp.opening', summary: 'SCTP state before the destination has sent anything.', dialects: FB, note: 'FreeBSD only.' },
  { name: 'sctp.established', summary: 'Established SCTP association.', dialects: FB, note: 'FreeBSD only.' },
  { name: 'sctp.closing', summary: 'SCTP state after the first SHUTDOWN chunk.', dialects: FB, note: 'FreeBSD only.' },
  { name: 'sctp.closed', summary: 'SCTP state after SHUTDOWN_ACK has been exchanged.', dialects: FB, note: 'FreeBSD only.' },
  { name: 'udp.first', summary: 'UDP state after the first packet.', def: '60 s' },
  { name: 'udp.single', summary: 'UDP state when only the source has sent (more than one) packets.', def: '30 s' },
  { name: 'udp.multiple', summary: 'UDP state when both sides have sent packets.', def: '60 s' },
  { name: 'icmp.first', summary: 'ICMP state after the first packet.', def: '20 s' },
  { name: 'icmp.error', summary: 'ICMP state after an ICMP error came back.', def: '10 s' },
  { name: 'other.first', summary: 'State of other protocols after the first packet.', def: '60 s' },
  { name: 'other.single', summary: 'State of other protocols when only the source has sent packets.', def: '30 s' },
  { name: 'other.multiple', summary: 'State of other protocols when both sides have sent packets.', def: '60 s' },
  { name: 'frag', summary: 'Seconds an incomplete fragmented packet is kept waiting for its other fragments.', def: '60 s' },
  { name: 'interval', summary: 'Seconds between purges of expired states and fragments.', def: '10 s' },
  { name: 'src.track', summary: 'How long a source-tracking entry is kept after its last state is gone (0: no extra time; the rule decides).', def: '0' },
  { name: 'adaptive.start', summary: 'Number of states above which all timeouts start being scaled down linearly, by (adaptive.end − states) / (adaptive.end − adaptive.start).', def: '60% of the state limit (60000 with the default limit)' },
  { name: 'adaptive.end', summary: 'Number of states at which all timeouts reach zero; set the state limit below it. Set both adaptive values to 0 to disable adaptive timeouts.', def: '120% of the state limit (120000 with the default limit)' },
];
for (const t of TIMEOUTS) {
  const adaptive = t.name.startsWith('adaptive.');
  k(t.name, 'timeout', t.summary, {
    syntax: `set timeout ${t.name} ${adaptive ? 'states' : 'seconds'}`,
    default: t.def,
    parents: ['timeout', 'set', ...STATE_PARENTS],
    dialects: t.dialects ?? ALL,
    man: man('OPTIONS'),
    detail: `Also usable per rule inside \`keep state (${t.name} n)\`.` + (adaptive ? ' Per rule, the thresholds count the rule\'s own states.' : ''),
    dialectNote: t.note ?? (t.def ? 'Default as documented by OpenBSD; FreeBSD\'s pf.conf(5) does not list defaults.' : undefined),
  });
}

// limits -----------------------------------------------------------------
interface LimitRow { name: string; summary: string; def?: string; dialects?: Dialect[]; note?: string }
const LIMITS: LimitRow[] = [
  { name: 'states', summary: 'Maximum number of state table entries.', def: '100000 (OpenBSD)' },
  { name: 'src-nodes', summary: 'Maximum number of source-tracking entries (used by `sticky-address` and `source-track`).', def: '10000 (OpenBSD)' },
  { name: 'frags', summary: 'Maximum number of fragment reassembly entries; keep it well below the number of mbuf clusters.', def: 'NMBCLUSTERS/32 (OpenBSD)' },
  { name: 'tables', summary: 'Maximum number of tables.', def: '1000', dialects: ['openbsd', 'macos'], note: 'Not documented in FreeBSD\'s pf.conf(5).' },
  { name: 'table-entries', summary: 'Maximum total number of addresses stored in all tables.', def: '200000 (100000 on machines with less than 100 MB of memory) on OpenBSD' },
  { name: 'pktdelay_pkts', summary: 'Maximum number of packets held by `set delay`.', def: '10000', dialects: OB, note: 'OpenBSD only.' },
  { name: 'anchors', summary: 'Maximum number of anchors.', def: '512', dialects: OB, note: 'Documented by OpenBSD only.' },
];
for (const l of LIMITS) {
  k(l.name, 'limit', l.summary, {
    syntax: `set limit ${l.name} number`,
    default: l.def,
    parents: ['limit', 'set'],
    dialects: l.dialects ?? ALL,
    man: man('OPTIONS'),
    dialectNote: l.note,
  });
}

// ====================================================================== addresses, interfaces, tables

k('self', 'address', 'All addresses of all interfaces of this machine (may take `:network`, `:broadcast`, `:peer`, `:0`).', {
  syntax: 'from self | to self',
});
k('egress', 'address', 'The interface group of the interfaces that carry the default route(s); usable wherever an interface name is.', {
  syntax: 'on egress | from (egress)',
  dialects: OB,
  dialectNote: 'OpenBSD adds interfaces holding a default route to the `egress` group automatically. FreeBSD does not maintain such a group by default.',
});
k('no-route', 'address', 'Any address for which there is currently no route.', {
  syntax: 'from no-route | to no-route',
});
k('urpf-failed', 'address', 'Any source address failing the unicast reverse path check: the packet arrived on an interface other than the one the route back to its source uses.', {
  syntax: 'from urpf-failed',
});
k('route', 'address', 'Any address covered by routes that carry the given route(8) label.', {
  syntax: 'from route "label" | to route "label"',
  dialects: OB,
  dialectNote: 'OpenBSD only.',
});
k(':network', 'interface-modifier', 'Interface modifier: the network(s) attached to the interface, e.g. `em0:network`.', {
  syntax: 'interface:network',
});
k(':broadcast', 'interface-modifier', 'Interface modifier: the interface\'s broadcast address(es).', {
  syntax: 'interface:broadcast',
});
k(':peer', 'interface-modifier', 'Interface modifier: the peer address(es) of a point-to-point interface.', {
  syntax: 'interface:peer',
});
k(':0', 'interface-modifier', 'Interface modifier: only the primary address, no aliases; on a host name, only the first IPv4 and first IPv6 address found.', {
  syntax: 'interface:0 | (interface:0) | hostname:0',
  detail: 'Putting an interface in parentheses, e.g. `($ext_if)` or `(em0:0)`, makes rules follow address changes without reloading.',
});
k('persist', 'table-option', 'Keep the table in the kernel even when no rule refers to it (otherwise it is removed with the last rule using it).', {
  syntax: 'table <name> persist',
  parents: ['table'],
  man: man('TABLES'),
});
k('const', 'table-option', 'The table\'s contents cannot be changed after creation (not even by pfctl).', {
  syntax: 'table <name> const { … }',
  parents: ['table'],
  man: man('TABLES'),
});
k('counters', 'table-option', 'Keep packet and byte counters per table entry, shown by `pfctl -t name -T show -v`.', {
  syntax: 'table <name> counters',
  parents: ['table'],
  man: man('TABLES'),
  dialectNote: 'FreeBSD warns that counters cost a lot of memory on large tables.',
});
k('file', 'table-option', 'Loads table entries from a file: one address, network, host name or interface per line; `#` lines are comments. May be repeated.', {
  syntax: 'table <name> file "/path" [file "/path2" …]',
  parents: ['table'],
  man: man('TABLES'),
});

// ====================================================================== lookup

/** Every documented meaning of every keyword, in registration order. */
export const ALL_KEYWORD_DOCS: readonly KeywordDoc[] = DOCS;

const BY_WORD = new Map<string, KeywordDoc[]>();
for (const doc of DOCS) {
  const list = BY_WORD.get(doc.keyword);
  if (list) list.push(doc);
  else BY_WORD.set(doc.keyword, [doc]);
}

/** The set of all documented keywords (including `:network`-style modifiers and timeout/limit names). */
export const ALL_DOCUMENTED_KEYWORDS: ReadonlySet<string> = new Set(BY_WORD.keys());

/** Interface modifiers, longest first, for splitting words like `em0:network`. */
const MODIFIERS = [':broadcast', ':network', ':peer', ':0'];

export interface LookupContext {
  /**
   * The keyword introducing the construct the word is part of: `set` for
   * `set timeout`, the rule keyword (`pass`, `match`, `block`, `scrub`, `altq`,
   * `queue`, `table` …), or an enclosing option (`keep`/`state` for state options,
   * `log` for log options, `source-track`, `fragment`, `hfsc` …).
   */
  parent?: string;
}

/** All meanings documented for a word (empty when none). */
export function lookupKeywordAll(word: string): KeywordDoc[] {
  return [...(candidates(word) ?? [])];
}

function candidates(word: string): KeywordDoc[] | undefined {
  // pfctl's keywords are case-sensitive, so is the lookup
  const direct = BY_WORD.get(word);
  if (direct) return direct;
  // `em0:network`, `(em0:0)`, `self:broadcast`
  const bare = word.replace(/^\(+|\)+$/g, '');
  for (const m of MODIFIERS) {
    if (bare.length > m.length && bare.endsWith(m)) return BY_WORD.get(m);
  }
  return undefined;
}

/**
 * The documentation of a keyword. When a word has several meanings (`queue`,
 * `prio`, `reassemble`, `timeout`, `all` …), `context.parent` picks the one that
 * belongs to that construct; otherwise the top-level meaning is returned.
 */
export function lookupKeyword(word: string, context?: LookupContext): KeywordDoc | undefined {
  const list = candidates(word);
  if (!list || list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  const parent = context?.parent;
  if (parent !== undefined) {
    const hit = list.find((d) => d.parents?.includes(parent));
    if (hit) return hit;
  }
  return list.find((d) => d.parents === undefined) ?? list[0];
}

/** Whether the keyword (in the meaning chosen by `context`) exists in a dialect. */
export function keywordAvailable(word: string, dialect: Dialect, context?: LookupContext): boolean | undefined {
  const doc = lookupKeyword(word, context);
  return doc ? doc.dialects.includes(dialect) : undefined;
}

// ====================================================================== Markdown

const DIALECT_NAMES: Record<Dialect, string> = { openbsd: 'OpenBSD', freebsd: 'FreeBSD', macos: 'macOS' };

function anchor(section: string): string {
  return section.replace(/ /g, '_');
}

/** Link to the OpenBSD manual page (with a section anchor, as man.openbsd.org renders them). */
export function openbsdManUrl(ref: ManRef): string {
  return `https://man.openbsd.org/${ref.page}#${anchor(ref.section)}`;
}

/** Link to the FreeBSD manual page. */
export function freebsdManUrl(ref: ManRef): string {
  return `https://man.freebsd.org/cgi/man.cgi?query=${encodeURIComponent(ref.page)}&sektion=${ref.volume ?? 5}`;
}

/**
 * Markdown for a hover: bold syntax line, summary, detail, default, the systems
 * that have the keyword, the dialect note, and links to the manual pages.
 * With `dialect`, a keyword missing from that dialect is flagged first.
 */
export function keywordMarkdown(doc: KeywordDoc, dialect?: Dialect): string {
  const out: string[] = [];
  const syntaxLines = (doc.syntax ?? doc.keyword).split('\n');
  out.push(syntaxLines.map((l) => `**\`${l}\`**`).join('  \n'));
  if (dialect && !doc.dialects.includes(dialect)) {
    out.push(`⚠️ Not available on ${DIALECT_NAMES[dialect]}.`);
  }
  out.push(doc.summary);
  if (doc.detail) out.push(doc.detail);
  if (doc.default) out.push(`Default: ${doc.default}`);
  if (doc.dialects.length === 0) {
    out.push('Available on: none of the documented pf dialects.');
  } else {
    const order: Dialect[] = ['openbsd', 'freebsd', 'macos'];
    out.push('Available on: ' + order.filter((d) => doc.dialects.includes(d)).map((d) => DIALECT_NAMES[d]).join(', '));
  }
  if (doc.dialectNote) out.push(`_${doc.dialectNote}_`);
  const links: string[] = [];
  if (doc.dialects.includes('openbsd')) {
    links.push(`[${doc.man.page}(${doc.man.volume ?? 5}) — OpenBSD](${openbsdManUrl(doc.man)})`);
  }
  if (doc.dialects.includes('freebsd')) {
    links.push(`[${doc.man.page}(${doc.man.volume ?? 5}) — FreeBSD](${freebsdManUrl(doc.man)})`);
  }
  if (links.length === 0) {
    links.push(`Not described in the OpenBSD or FreeBSD ${doc.man.page}(${doc.man.volume ?? 5}); on a Mac see \`man ${doc.man.page}\`.`);
  }
  out.push(links.join(' · '));
  return out.join('\n\n');
}
