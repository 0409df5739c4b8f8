/**
 * Knowledge about spamd(8) and its helpers, for hovers in pf.conf, rc.conf and
 * spamd.conf: the pf tables it uses, its service ports, the pf rules that feed
 * it on OpenBSD and FreeBSD, every command-line option of spamd, spamlogd,
 * spamd-setup and spamdb (OpenBSD base and the FreeBSD mail/spamd port), and the
 * fields of `spamdb` output.
 *
 * Written for this project from the facts in the OpenBSD manual pages and the
 * FreeBSD port's pages; not copied from them. Pure data + pure functions.
 */

export type SpamdProgram = 'spamd' | 'spamlogd' | 'spamd-setup' | 'spamdb';
/** `openbsd`: OpenBSD base system; `freebsd-port`: FreeBSD's mail/spamd port ("obspamd"). */
export type SpamdFlavor = 'openbsd' | 'freebsd-port';

export const SPAMD_PROGRAMS: readonly SpamdProgram[] = ['spamd', 'spamlogd', 'spamd-setup', 'spamdb'];

// ====================================================================== greylisting times

/** Defaults of `spamd -G passtime:greyexp:whiteexp`. */
export const GREYLIST_DEFAULTS = {
  /** Minutes a new tuple must wait before a retry whitelists the host. */
  passtimeMinutes: 25,
  /** Hours a greylist tuple lives without a successful retry. */
  greyexpHours: 4,
  /** Hours a whitelist entry lives without spamlogd seeing mail activity (≈ 36 days). */
  whiteexpHours: 864,
  /** Hours a host caught by a spamtrap stays blacklisted. */
  trappedHours: 24,
  /** Largest whiteexp spamlogd accepts with -W (≈ 90 days). */
  maxWhiteexpHours: 2160,
} as const;

// ====================================================================== options

export interface SpamdOption {
  program: SpamdProgram;
  /** Option letter without the dash. */
  letter: string;
  /** Name of the argument; absent for flags. */
  arg?: string;
  summary: string;
  detail?: string;
  default?: string;
  flavors: SpamdFlavor[];
  /** Differences between OpenBSD and the FreeBSD port. */
  note?: string;
  repeatable?: boolean;
}

const BOTH: SpamdFlavor[] = ['openbsd', 'freebsd-port'];
const OBSD: SpamdFlavor[] = ['openbsd'];
const PORT: SpamdFlavor[] = ['freebsd-port'];

type OptExtra = Partial<Omit<SpamdOption, 'program' | 'letter' | 'summary'>>;
const OPTIONS: SpamdOption[] = [];
function opt(program: SpamdProgram, letter: string, summary: string, extra: OptExtra = {}): void {
  OPTIONS.push({ program, letter, summary, flavors: extra.flavors ?? BOTH, ...extra });
}

// spamd ----------------------------------------------------------------------
opt('spamd', '4', 'Reject mail from blacklisted hosts with SMTP code 450 (temporary failure), so well-behaved senders retry later.', { default: 'on (450 is the default)' });
opt('spamd', '5', 'Reject mail from blacklisted hosts with SMTP code 550 (permanent failure) instead of 450.');
opt('spamd', 'B', 'Maximum number of blacklisted connections spamd stutters at (answers one character at a time) simultaneously; beyond it, new blacklisted connections are not stuttered.', {
  arg: 'maxblack', default: 'maxcon − 100', detail: 'Must not be larger than maxcon (-c).',
});
opt('spamd', 'b', 'Blacklist-only mode: no greylisting. Only hosts in the pf table `<spamd>` are diverted to spamd and tarpitted; everyone else goes straight to the real MTA.', {
  detail: 'Run spamd-setup with -b as well, so it fills `<spamd>`. On OpenBSD, `spamd_black=YES` in rc.conf.local adds this flag.',
});
opt('spamd', 'C', 'File with the TLS certificate spamd presents (for STARTTLS).', { arg: 'file', flavors: OBSD, note: 'OpenBSD only; the FreeBSD port has no TLS support.' });
opt('spamd', 'c', 'Maximum number of simultaneous connections.', {
  arg: 'maxcon', default: '800', detail: 'May not exceed the kern.maxfiles sysctl minus 200.',
});
opt('spamd', 'd', 'Debug mode: stay in the foreground instead of becoming a daemon.');
opt('spamd', 'G', 'Greylisting times: passtime (minutes), greyexp (hours) and whiteexp (hours).', {
  arg: 'passtime:greyexp:whiteexp',
  default: '25:4:864',
  detail: '**passtime** — a sender whose tuple (IP, HELO, from, to) is retried after at least this many minutes is whitelisted.  \n' +
    '**greyexp** — a greylist tuple that is not retried within this many hours is forgotten (4 h matches how long most MTAs keep retrying).  \n' +
    '**whiteexp** — a whitelist entry expires after this many hours unless spamlogd sees mail from/to the host again (864 h ≈ 36 days, enough for monthly mailing lists).',
});
opt('spamd', 'h', 'Host name announced in the SMTP banner.', { arg: 'hostname', default: 'the machine\'s host name' });
opt('spamd', 'K', 'File with the TLS private key matching the -C certificate.', { arg: 'file', flavors: OBSD, note: 'OpenBSD only.' });
opt('spamd', 'l', 'Local address spamd binds to for the diverted SMTP connections.', {
  arg: 'address', default: '127.0.0.1 (OpenBSD); all local addresses (FreeBSD port)',
  note: 'The defaults differ: OpenBSD listens on 127.0.0.1 only, the FreeBSD port on all local addresses.',
});
opt('spamd', 'M', 'A local IP address published as a low-priority MX. Hosts that try to deliver new mail to it without having a greylist tuple from the primary MX are trapped (MX-order greytrapping).', {
  arg: 'address',
  detail: 'The same spamd must see all greylist traffic of the higher-priority MX, ideally by receiving it on another address of the same host.',
});
opt('spamd', 'n', 'SMTP version string shown in the banner.', { arg: 'name' });
opt('spamd', 'p', 'Port spamd listens on for diverted connections.', { arg: 'port', default: 'the `spamd` service (8025/tcp)' });
opt('spamd', 'S', 'Stutter at greylisted connections only for this many seconds; after that, reply at normal speed.', { arg: 'secs', default: '10', detail: 'Maximum 90.' });
opt('spamd', 's', 'Delay (seconds) before each character sent to the client while stuttering.', { arg: 'secs', default: '1', detail: 'Maximum 10.' });
opt('spamd', 'v', 'Verbose logging: also log message details (subject, recipients) at LOG_INFO and the message body and SMTP dialogue at LOG_DEBUG.');
opt('spamd', 'w', 'Size in bytes of the socket receive buffer, which shrinks the TCP window offered to clients and slows them down further.', { arg: 'window' });
opt('spamd', 'Y', 'Also send greylist and trap updates to this sync target: an IPv4 address (unicast) or an interface with optional TTL, `em0:2`, for multicast to 224.0.1.240.', {
  arg: 'synctarget', repeatable: true, default: 'multicast TTL 1',
  detail: 'May be given several times. If /etc/mail/spamd.key exists, its digest authenticates the messages; copy it to every peer.',
});
opt('spamd', 'y', 'Listen for sync messages from other spamd daemons on this interface (once only).', {
  arg: 'synclisten', note: 'In the FreeBSD port the argument has the same format as for -Y.',
});
opt('spamd', 'm', 'Firewall to work with: `pf` (default) or `ipfw`.', { arg: 'mode', default: 'pf', flavors: PORT, note: 'FreeBSD port only.' });
opt('spamd', 't', 'Number of the ipfw table to use; only with `-m ipfw`.', { arg: 'table_number', flavors: PORT, note: 'FreeBSD port only.' });

// spamlogd ---------------------------------------------------------------------
opt('spamlogd', 'D', 'Debug mode: stay attached to the terminal.');
opt('spamlogd', 'I', 'Only whitelist the senders of inbound SMTP connections; by default the destinations of outbound SMTP connections are whitelisted too (so replies to our mail are not greylisted).');
opt('spamlogd', 'i', 'Only consider logged packets that arrived on this interface.', { arg: 'interface', default: 'all interfaces' });
opt('spamlogd', 'l', 'pflog(4) interface to read logged connections from.', { arg: 'pflog_interface', default: 'pflog0' });
opt('spamlogd', 'W', 'Whitelist lifetime whiteexp in hours, renewed each time spamlogd sees SMTP traffic for the host.', {
  arg: 'whiteexp', default: '864 (≈ 36 days)', detail: 'Maximum 2160 hours (≈ 90 days); the FreeBSD port also requires at least 1.',
});
opt('spamlogd', 'Y', 'Send whitelist updates to this sync target (spamd on another host); may be repeated.', { arg: 'synctarget', repeatable: true });
opt('spamlogd', 'm', 'Firewall to work with: `pf` (default) or `ipfw`.', { arg: 'mode', default: 'pf', flavors: PORT, note: 'FreeBSD port only.' });

// spamd-setup ----------------------------------------------------------------------
opt('spamd-setup', 'b', 'Blacklist-only mode: besides sending the lists to spamd, also load the addresses into the pf table `<spamd>`. Use it when spamd runs with -b.');
opt('spamd-setup', 'D', 'Run in the background (daemonize).');
opt('spamd-setup', 'd', 'Debug mode: print some information about what is done.');
opt('spamd-setup', 'n', 'Dry run: fetch and parse the lists but send nothing.');
opt('spamd-setup', 'm', 'Use ipfw instead of pf (argument `ipfw`).', { arg: 'mode', flavors: PORT, note: 'FreeBSD port only.' });
opt('spamd-setup', 't', 'Number of the ipfw table to fill; only with `-m ipfw`.', { arg: 'table_number', default: '2', flavors: PORT, note: 'FreeBSD port only.' });

// spamdb ---------------------------------------------------------------------------
opt('spamdb', 'a', 'Add the keys, or refresh their last-seen time if present: IP addresses become WHITE entries (bypassing greylisting); with -T e-mail addresses become SPAMTRAPs; with -t IPs become TRAPPED.', {
  note: 'In the FreeBSD port the keys follow the option directly (`-a keys`).',
});
opt('spamdb', 'd', 'Delete the entries of the given keys (WHITE by default; GREY with -G, SPAMTRAP with -T, TRAPPED with -t).');
opt('spamdb', 'G', 'With -d: delete GREY entries for the keys.', { flavors: OBSD, note: 'OpenBSD only.' });
opt('spamdb', 'T', 'With -a or -d: the keys are spamtrap e-mail addresses (SPAMTRAP entries). Greylisted hosts that mail such an address are trapped for 24 hours.');
opt('spamdb', 't', 'With -a or -d: the keys are IP addresses to add to or remove from the TRAPPED (temporarily blacklisted) list.');
opt('spamdb', 'D', 'Debug mode.', { flavors: PORT, note: 'FreeBSD port only.' });
opt('spamdb', 'Y', 'Send the white/black list changes made to this sync target (another spamd); may be repeated.', { arg: 'synctarget', repeatable: true, flavors: PORT, note: 'FreeBSD port only.' });
opt('spamdb', 'W', 'Lifetime in hours of WHITE entries added with -a.', { arg: 'whiteexp', default: '864', flavors: PORT, detail: 'Between 1 and 2160 hours.', note: 'FreeBSD port only.' });

export const SPAMD_OPTIONS: readonly SpamdOption[] = OPTIONS;

/** The option of a program, by letter (`G`, `-G`). Without a flavor, OpenBSD's entry is preferred. */
export function findSpamdOption(program: SpamdProgram, option: string, flavor?: SpamdFlavor): SpamdOption | undefined {
  const letter = option.replace(/^-/, '');
  const list = OPTIONS.filter((o) => o.program === program && o.letter === letter);
  if (flavor) return list.find((o) => o.flavors.includes(flavor));
  return list[0];
}

/** Option letters of a program that take an argument (for getopt-style parsing). */
export function spamdOptionsWithArgument(program: SpamdProgram, flavor?: SpamdFlavor): Set<string> {
  return new Set(OPTIONS.filter((o) => o.program === program && o.arg && (!flavor || o.flavors.includes(flavor))).map((o) => o.letter));
}

const FLAVOR_NAMES: Record<SpamdFlavor, string> = { openbsd: 'OpenBSD', 'freebsd-port': 'FreeBSD port (mail/spamd)' };

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function hoursToText(h: number): string {
  if (h >= 48) {
    const days = h / 24;
    return `${plural(h, 'hour')} (≈ ${Number.isInteger(days) ? days : days.toFixed(1)} days)`;
  }
  return plural(h, 'hour');
}

/**
 * Explains the value given to an option, e.g. `-G 25:4:864` → passtime 25 min,
 * greyexp 4 h, whiteexp 864 h. Returns Markdown, or undefined when there is
 * nothing specific to say about the value.
 */
export function explainSpamdArgument(program: SpamdProgram, option: string, value: string): string | undefined {
  const letter = option.replace(/^-/, '');
  const num = /^\d+$/.test(value) ? Number(value) : undefined;
  if (program === 'spamd' && letter === 'G') {
    const m = /^(\d+):(\d+):(\d+)$/.exec(value);
    if (!m) return `⚠️ \`${value}\` is not of the form passtime:greyexp:whiteexp (three whole numbers); spamd would refuse it.`;
    const [pass, grey, white] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const d = GREYLIST_DEFAULTS;
    const lines = [
      `- **passtime** = ${plural(pass, 'minute')}${pass === d.passtimeMinutes ? ' (default)' : ` (default ${d.passtimeMinutes})`} — a retry after this long whitelists the sender`,
      `- **greyexp** = ${hoursToText(grey)}${grey === d.greyexpHours ? ' (default)' : ` (default ${d.greyexpHours})`} — unretried greylist tuples are dropped after this`,
      `- **whiteexp** = ${hoursToText(white)}${white === d.whiteexpHours ? ' (default)' : ` (default ${d.whiteexpHours})`} — whitelist entries expire after this unless spamlogd sees mail again`,
    ];
    if (pass * 60 >= grey * 3600) lines.push('- ⚠️ passtime is not shorter than greyexp: tuples expire before a retry can pass, so nobody gets whitelisted.');
    return lines.join('\n');
  }
  if ((program === 'spamlogd' || program === 'spamdb') && letter === 'W' && num !== undefined) {
    const warn = num > GREYLIST_DEFAULTS.maxWhiteexpHours ? ` ⚠️ more than the maximum of ${GREYLIST_DEFAULTS.maxWhiteexpHours} hours.` : num < 1 ? ' ⚠️ must be at least 1 hour.' : '';
    return `**whiteexp** = ${hoursToText(num)}.${warn}`;
  }
  if (program === 'spamd' && letter === 'S' && num !== undefined) {
    return `Stutter at greylisted hosts for the first ${plural(num, 'second')}.${num > 90 ? ' ⚠️ The maximum is 90.' : ''}`;
  }
  if (program === 'spamd' && letter === 's' && num !== undefined) {
    return `${plural(num, 'second')} between characters.${num > 10 ? ' ⚠️ The maximum is 10.' : ''}`;
  }
  if (program === 'spamd' && letter === 'c' && num !== undefined) {
    return `At most ${num} simultaneous connections.`;
  }
  if (program === 'spamd' && letter === 'B' && num !== undefined) {
    return `Stutter at no more than ${num} blacklisted connections at a time.`;
  }
  if (program === 'spamd' && letter === 'p') {
    return num !== undefined ? `Listen on port ${num}.` : `Listen on the port of service \`${value}\`.`;
  }
  if ((letter === 'Y' || (program === 'spamd' && letter === 'y'))) {
    const m = /^([A-Za-z][A-Za-z0-9_.-]*?\d+)(?::(\d+))?$/.exec(value);
    if (m && !/\./.test(m[1])) {
      return `Multicast sync on interface \`${m[1]}\` (group 224.0.1.240), TTL ${m[2] ?? '1 (default)'}.`;
    }
    return `Unicast sync with \`${value}\`.`;
  }
  if (letter === 'm' && (program === 'spamd' || program === 'spamlogd' || program === 'spamd-setup')) {
    if (value === 'pf' || value === 'ipfw') return `Use ${value}.`;
    return `⚠️ \`${value}\` is neither \`pf\` nor \`ipfw\`.`;
  }
  return undefined;
}

export interface SpamdArgumentProblem {
  severity: 'error' | 'warning';
  message: string;
}

const NUMERIC_ARGS: Partial<Record<SpamdProgram, string>> = {
  spamd: 'BcSstw',
  spamlogd: 'W',
  'spamd-setup': 't',
  spamdb: 'W',
};

/** Checks the value of an option the way the program would (ranges, formats). */
export function checkSpamdArgument(program: SpamdProgram, option: string, value: string): SpamdArgumentProblem | undefined {
  const letter = option.replace(/^-/, '');
  const numeric = NUMERIC_ARGS[program]?.includes(letter) ?? false;
  if (numeric && !/^\d+$/.test(value)) return { severity: 'error', message: `-${letter} needs a whole number, not "${value}".` };
  const num = Number(value);
  if (program === 'spamd') {
    if (letter === 'G') {
      const m = /^(\d+):(\d+):(\d+)$/.exec(value);
      if (!m) return { severity: 'error', message: `-G needs passtime:greyexp:whiteexp (three whole numbers), not "${value}".` };
      if (Number(m[1]) * 60 >= Number(m[2]) * 3600) {
        return { severity: 'warning', message: `-G: passtime (${m[1]} min) is not shorter than greyexp (${m[2]} h), so greylisted tuples expire before a retry can pass.` };
      }
    }
    if (letter === 'S' && num > 90) return { severity: 'warning', message: `-S ${value}: the maximum is 90 seconds.` };
    if (letter === 's' && num > 10) return { severity: 'warning', message: `-s ${value}: the maximum is 10 seconds.` };
    if (letter === 'c' && num < 1) return { severity: 'error', message: '-c must be at least 1.' };
  }
  if ((program === 'spamlogd' || program === 'spamdb') && letter === 'W') {
    if (num > GREYLIST_DEFAULTS.maxWhiteexpHours) return { severity: 'warning', message: `-W ${value}: the maximum is ${GREYLIST_DEFAULTS.maxWhiteexpHours} hours (≈ 90 days).` };
    if (num < 1) return { severity: 'warning', message: '-W must be at least 1 hour.' };
  }
  if (letter === 'm' && program !== 'spamdb' && value !== 'pf' && value !== 'ipfw') {
    return { severity: 'error', message: `-m takes "pf" or "ipfw", not "${value}".` };
  }
  return undefined;
}

/** Markdown for a command-line option of spamd, spamlogd, spamd-setup or spamdb. */
export function spamdOptionDoc(program: SpamdProgram, option: string, flavor?: SpamdFlavor): string | undefined {
  const o = findSpamdOption(program, option, flavor) ?? findSpamdOption(program, option);
  if (!o) return undefined;
  const head = `**\`${program} -${o.letter}${o.arg ? ' ' + o.arg : ''}\`**`;
  const out = [head];
  if (flavor && !o.flavors.includes(flavor)) out.push(`⚠️ Not available in the ${FLAVOR_NAMES[flavor]} version.`);
  out.push(o.summary);
  if (o.detail) out.push(o.detail);
  if (o.default) out.push(`Default: ${o.default}`);
  if (o.repeatable) out.push('May be given more than once.');
  out.push('Available in: ' + o.flavors.map((f) => FLAVOR_NAMES[f]).join(', '));
  if (o.note) out.push(`_${o.note}_`);
  out.push(manLinks(program, 8));
  return out.join('\n\n');
}

function manLinks(page: string, volume: number): string {
  return `[${page}(${volume}) — OpenBSD](https://man.openbsd.org/${page}.${volume})`;
}

// ====================================================================== programs

export interface SpamdProgramDoc {
  program: SpamdProgram;
  summary: string;
  path: Record<SpamdFlavor, string>;
}

export const SPAMD_PROGRAM_DOCS: Readonly<Record<SpamdProgram, SpamdProgramDoc>> = {
  spamd: {
    program: 'spamd',
    summary: 'Fake SMTP daemon that greylists unknown senders (temporary failure until they retry after passtime) and tarpits blacklisted ones by answering very slowly.',
    path: { openbsd: '/usr/libexec/spamd', 'freebsd-port': '/usr/local/libexec/spamd' },
  },
  spamlogd: {
    program: 'spamlogd',
    summary: 'Watches SMTP connections logged on pflog and refreshes the matching WHITE entries in /var/db/spamd, so active mail partners never expire from `<spamd-white>`.',
    path: { openbsd: '/usr/libexec/spamlogd', 'freebsd-port': '/usr/local/libexec/spamlogd' },
  },
  'spamd-setup': {
    program: 'spamd-setup',
    summary: 'Fetches the blacklists and whitelists configured in spamd.conf and sends the resulting blacklists (with their rejection messages) to spamd; with -b also loads them into the pf table `<spamd>`. Usually run from cron.',
    path: { openbsd: '/usr/libexec/spamd-setup', 'freebsd-port': '/usr/local/sbin/spamd-setup' },
  },
  spamdb: {
    program: 'spamdb',
    summary: 'Lists and edits the spamd database /var/db/spamd (WHITE, GREY, TRAPPED and SPAMTRAP entries).',
    path: { openbsd: '/usr/sbin/spamdb', 'freebsd-port': '/usr/local/sbin/spamdb' },
  },
};

/** Markdown for a program name (spamd, spamlogd, spamd-setup, spamdb). */
export function spamdProgramDoc(program: string): string | undefined {
  const name = program === 'obspamd' ? 'spamd' : program === 'obspamlogd' ? 'spamlogd' : program;
  const doc = (SPAMD_PROGRAM_DOCS as Record<string, SpamdProgramDoc | undefined>)[name];
  if (!doc) return undefined;
  const opts = OPTIONS.filter((o) => o.program === doc.program);
  const flags = opts.filter((o) => !o.arg).map((o) => o.letter).join('');
  const withArg = opts.filter((o) => o.arg).map((o) => `[-${o.letter} ${o.arg}]`).join(' ');
  return [
    `**${doc.program}**(8)`,
    doc.summary,
    `\`${doc.program}${flags ? ` [-${flags}]` : ''}${withArg ? ' ' + withArg : ''}\``,
    `OpenBSD: \`${doc.path.openbsd}\` · FreeBSD port: \`${doc.path['freebsd-port']}\``,
    manLinks(doc.program, 8),
  ].join('\n\n');
}

// ====================================================================== tables

export interface SpamdTableDoc {
  name: string;
  summary: string;
  /** Who puts addresses in it. */
  filledBy: string;
  detail: string;
  /** A pf.conf declaration for it. */
  declaration?: string;
}

export const SPAMD_TABLES: Readonly<Record<string, SpamdTableDoc>> = {
  'spamd-white': {
    name: 'spamd-white',
    summary: 'Whitelist of senders that passed greylisting; their SMTP connections go to the real mail server instead of spamd.',
    filledBy: 'spamd (greylisting mode) reloads it regularly from the WHITE entries of /var/db/spamd; spamlogd keeps those entries alive by renewing them whenever pflog shows mail traffic with the host; `spamdb -a` adds entries by hand.',
    detail: 'A sender becomes WHITE when it retries the same tuple (IP, HELO, envelope from, envelope to) after passtime (default 25 minutes) and before greyexp (default 4 hours). The entry expires after whiteexp (default 864 hours ≈ 36 days) unless spamlogd sees mail again, so the rules passing `<spamd-white>` to the MTA must `log` for spamlogd to see them.',
    declaration: 'table <spamd-white> persist',
  },
  spamd: {
    name: 'spamd',
    summary: 'Blacklist table for blacklist-only mode: addresses in it are diverted to spamd and tarpitted.',
    filledBy: '`spamd-setup -b` replaces its contents with the blacklists of spamd.conf (via `pfctl -t spamd -T replace`); the admin may also load it with pfctl.',
    detail: 'Only used when spamd runs with -b. In the default greylisting mode spamd keeps the blacklists itself and every unknown sender is diverted anyway.',
    declaration: 'table <spamd> persist',
  },
  nospamd: {
    name: 'nospamd',
    summary: 'Hosts that must never be sent to spamd (partners, your own servers, large providers that do not retry from the same address).',
    filledBy: 'The administrator, usually from a file: `table <nospamd> persist file "/etc/mail/nospamd"`.',
    detail: 'Needs a `pass` rule for these sources to the real MTA that wins over the divert rule (later in the ruleset, or `quick`).',
    declaration: 'table <nospamd> persist file "/etc/mail/nospamd"',
  },
  'spamd-greytrap': {
    name: 'spamd-greytrap',
    summary: 'Name of the blacklist spamd keeps for trapped hosts (greylisted hosts that mailed a spamtrap address, an unknown domain, or the low-priority MX).',
    filledBy: 'spamd itself (TRAPPED entries in /var/db/spamd, also via `spamdb -t -a`); trapped hosts stay for 24 hours.',
    detail: 'This is spamd\'s own list, not a table you have to declare in pf.conf.',
  },
};

function normTable(name: string): string {
  return name.trim().replace(/^</, '').replace(/>$/, '');
}

/** Markdown for one of spamd's tables: `<spamd>`, `<spamd-white>`, `<nospamd>`, `<spamd-greytrap>`. */
export function spamdTableDoc(name: string): string | undefined {
  const t = SPAMD_TABLES[normTable(name)];
  if (!t) return undefined;
  const out = [`**\`<${t.name}>\`** — spamd table`, t.summary, `**Filled by:** ${t.filledBy}`, t.detail];
  if (t.declaration) out.push('```pf\n' + t.declaration + '\n```');
  out.push(manLinks('spamd', 8));
  return out.join('\n\n');
}

// ====================================================================== ports

export interface SpamdPortDoc {
  service: string;
  port: number;
  protocol: 'tcp' | 'udp';
  summary: string;
}

export const SPAMD_PORTS: readonly SpamdPortDoc[] = [
  { service: 'spamd', port: 8025, protocol: 'tcp', summary: 'spamd listens here for the SMTP connections pf diverts or redirects to it (`port spamd` in pf rules).' },
  { service: 'spamd-cfg', port: 8026, protocol: 'tcp', summary: 'spamd\'s configuration port, on the loopback address only: spamd-setup sends the blacklists here (one line per list: name;"message";addresses…).' },
  { service: 'spamd-sync', port: 8025, protocol: 'udp', summary: 'Synchronisation of greylist and trap entries between spamd hosts (-Y/-y; multicast group 224.0.1.240 or unicast).' },
];

/** Markdown for a spamd service: by name (`spamd`, `spamd-cfg`, `spamd-sync`) or number (8025, 8026). */
export function spamdPortDoc(nameOrPort: string | number, protocol?: 'tcp' | 'udp'): string | undefined {
  const key = typeof nameOrPort === 'number' ? nameOrPort : /^\d+$/.test(nameOrPort) ? Number(nameOrPort) : nameOrPort;
  const hits = SPAMD_PORTS.filter((p) => (typeof key === 'number' ? p.port === key : p.service === key) && (!protocol || p.protocol === protocol));
  if (hits.length === 0) return undefined;
  const out = hits.map((p) => `**\`${p.service}\`** — ${p.port}/${p.protocol}\n\n${p.summary}`);
  out.push('_OpenBSD\'s /etc/services lists these names. FreeBSD\'s base services file does not, so with the port either add them to /etc/services or use the numbers in pf.conf._');
  out.push(manLinks('spamd', 8));
  return out.join('\n\n');
}

// ====================================================================== pf rules

export interface SpamdRuleExample {
  id: string;
  title: string;
  flavor: SpamdFlavor;
  mode: 'greylisting' | 'blacklist-only';
  rules: string;
}

export const SPAMD_PF_RULES: readonly SpamdRuleExample[] = [
  {
    id: 'openbsd-greylisting',
    title: 'OpenBSD, greylisting (default mode)',
    flavor: 'openbsd',
    mode: 'greylisting',
    rules: [
      'table <spamd-white> persist',
      'table <nospamd> persist file "/etc/mail/nospamd"',
      '# every incoming SMTP connection is handed to spamd ...',
      'pass in on egress inet proto tcp to port smtp divert-to 127.0.0.1 port spamd',
      '# ... unless a later rule lets it through to the real MTA',
      'pass in on egress inet proto tcp from <nospamd> to port smtp',
      '# logged, so that spamlogd can renew the whitelist entries',
      'pass in log on egress inet proto tcp from <spamd-white> to port smtp',
      'pass out log on egress inet proto tcp to port smtp',
    ].join('\n'),
  },
  {
    id: 'openbsd-blacklist-only',
    title: 'OpenBSD, blacklist-only mode (spamd -b, spamd-setup -b)',
    flavor: 'openbsd',
    mode: 'blacklist-only',
    rules: [
      'table <spamd> persist',
      'pass in on egress inet proto tcp from <spamd> to port smtp divert-to 127.0.0.1 port spamd',
    ].join('\n'),
  },
  {
    id: 'freebsd-greylisting',
    title: 'FreeBSD (mail/spamd port), greylisting',
    flavor: 'freebsd-port',
    mode: 'greylisting',
    rules: [
      'table <spamd-white> persist',
      'table <nospamd> persist file "/usr/local/etc/spamd/nospamd"',
      '# translation rules: the first match wins',
      'no rdr on $ext_if inet proto tcp from <nospamd> to port smtp',
      'rdr pass on $ext_if inet proto tcp from !<spamd-white> to port smtp -> 127.0.0.1 port spamd',
      '# logged, so that spamlogd can renew the whitelist entries',
      'pass in log on $ext_if inet proto tcp from <spamd-white> to port smtp',
      'pass out log on $ext_if inet proto tcp to port smtp',
    ].join('\n'),
  },
  {
    id: 'freebsd-blacklist-only',
    title: 'FreeBSD (mail/spamd port), blacklist-only mode',
    flavor: 'freebsd-port',
    mode: 'blacklist-only',
    rules: [
      'table <spamd> persist',
      'rdr pass on $ext_if inet proto tcp from <spamd> to port smtp -> 127.0.0.1 port spamd',
    ].join('\n'),
  },
];

/** Markdown showing the pf rules that feed spamd, for one or both flavours. */
export function spamdRulesMarkdown(flavor?: SpamdFlavor): string {
  return SPAMD_PF_RULES.filter((r) => !flavor || r.flavor === flavor)
    .map((r) => `**${r.title}**\n\n\`\`\`pf\n${r.rules}\n\`\`\``)
    .join('\n\n');
}

// ====================================================================== spamdb output

export type SpamdbEntryType = 'GREY' | 'WHITE' | 'TRAPPED' | 'SPAMTRAP';

export interface SpamdbField {
  name: string;
  description: string;
  /** Seconds since the Epoch. */
  time?: boolean;
}

const F = (name: string, description: string, time = false): SpamdbField => (time ? { name, description, time } : { name, description });

/** Field layout of each kind of `spamdb` output line (fields separated by `|`). */
export const SPAMDB_FORMATS: Readonly<Record<SpamdbEntryType, readonly SpamdbField[]>> = {
  GREY: [
    F('type', 'GREY: greylisted, waiting for a retry'),
    F('source IP', 'address the connection came from'),
    F('helo', 'name the host gave in HELO/EHLO'),
    F('from', 'envelope sender'),
    F('to', 'envelope recipient'),
    F('first', 'when the tuple was first seen', true),
    F('pass time', 'earliest time a retry is accepted (first + passtime)', true),
    F('expire', 'when the entry is removed from the database', true),
    F('block count', 'how often the host got a temporary failure from spamd'),
    F('pass count', 'how often spamlogd saw it pass to the real MTA'),
  ],
  WHITE: [
    F('type', 'WHITE: whitelisted, talks to the real MTA'),
    F('source IP', 'whitelisted address'),
    F('(empty)', 'not used in WHITE entries'),
    F('(empty)', 'not used in WHITE entries'),
    F('first', 'when the address was first seen', true),
    F('pass time', 'when it went from GREY to WHITE', true),
    F('expire', 'when the entry expires unless renewed by spamlogd', true),
    F('block count', 'how often the host got a temporary failure from spamd'),
    F('pass count', 'how often spamlogd saw it pass to the real MTA'),
  ],
  TRAPPED: [
    F('type', 'TRAPPED: temporarily blacklisted for hitting a spamtrap'),
    F('ip', 'trapped address'),
    F('expire', 'when the address leaves the trap list', true),
  ],
  SPAMTRAP: [
    F('type', 'SPAMTRAP: a trap recipient address'),
    F('mailaddress', 'greylisted hosts that send mail to it are trapped'),
  ],
};

/**
 * Explains the field under `character` in one line of `spamdb` output, e.g.
 * `WHITE|192.0.2.1|||1700000000|1700001500|1703000000|3|12`.
 */
export function spamdbFieldDoc(line: string, character: number): string | undefined {
  const parts = line.split('|');
  const type = parts[0]?.trim() as SpamdbEntryType;
  const fmt = SPAMDB_FORMATS[type];
  if (!fmt) return undefined;
  let start = 0;
  for (let i = 0; i < parts.length; i++) {
    const end = start + parts[i].length;
    if (character >= start && character <= end) {
      const field = fmt[Math.min(i, fmt.length - 1)];
      if (!field) return undefined;
      let md = `**${type} · ${field.name}** — ${field.description}`;
      if (field.time && /^\d+$/.test(parts[i])) {
        md += `\n\n\`${parts[i]}\` = ${new Date(Number(parts[i]) * 1000).toISOString().replace('.000Z', 'Z')}`;
      }
      return md;
    }
    start = end + 1;
  }
  return undefined;
}
