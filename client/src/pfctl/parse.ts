/**
 * Parsers for pfctl(8) and spamdb(8) output.  Formats follow the manuals:
 *  - parse errors: `FILE:LINE: message` (FILE is `stdin` for `-f -`), warnings
 *    `FILE:LINE: warning: message`, and the closing
 *    `pfctl: Syntax error in config file: pf rules not loaded`;
 *  - `-T show`: one address per line, indented, `!` for negated entries, with
 *    `-v` followed by indented statistics lines (`Cleared: ...`);
 *  - `-s info`: a `Status:` line, then sections whose title is not indented
 *    and whose entries are indented `name   value   [rate]` lines;
 *  - `-s Tables`: one name per line (`-v`: flags column `--a-r-C name`);
 *  - spamdb: `TYPE|field|field...` lines, times in seconds since the Epoch.
 */

// ------------------------------------------------------------ pfctl errors

export interface PfctlMessage {
  /** File as pfctl printed it (`stdin` when the rules came from stdin). */
  file: string;
  /** 1-based line number. */
  line: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface PfctlErrorReport {
  messages: PfctlMessage[];
  /** pfctl's closing `Syntax error in config file: ...` line, when present. */
  summary?: string;
  /** True when pfctl said the rules were not loaded. */
  notLoaded: boolean;
  /** Other `pfctl: ...` lines and unrecognised lines (e.g. missing files). */
  other: string[];
}

const MESSAGE_LINE = /^(.+?):(\d+):\s?(.*)$/;
const SUMMARY_LINE = /^pfctl: (Syntax error in config file: .*)$/;

export function parsePfctlErrors(text: string): PfctlErrorReport {
  const report: PfctlErrorReport = { messages: [], notLoaded: false, other: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line === '') continue;
    const summary = SUMMARY_LINE.exec(line);
    if (summary) {
      report.summary = summary[1];
      report.notLoaded = /not loaded/.test(summary[1]);
      continue;
    }
    const m = line.startsWith('pfctl:') ? null : MESSAGE_LINE.exec(line);
    if (m) {
      const warning = /^warning:\s*/i.exec(m[3]);
      report.messages.push({
        file: m[1],
        line: Number(m[2]),
        message: warning ? m[3].slice(warning[0].length) : m[3],
        severity: warning ? 'warning' : 'error',
      });
      continue;
    }
    report.other.push(line);
  }
  return report;
}

// ------------------------------------------------------------- -T show

export interface TableEntry {
  address: string;
  negated: boolean;
}

/** Addresses of `pfctl -t T -T show` (also with -v: statistics lines are skipped). */
export function parseTableShow(text: string): TableEntry[] {
  const entries: TableEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const t = raw.trim();
    // Statistics lines under -v contain whitespace ("Cleared:  Fri Jun ..."),
    // an address line is a single token.
    if (t === '' || /\s/.test(t)) continue;
    const negated = t.startsWith('!');
    entries.push({ address: negated ? t.slice(1) : t, negated });
  }
  return entries;
}

// ------------------------------------------------------------- -s Tables

/** Table names from `pfctl -s Tables` (plain or with -v flags column; -vv detail lines skipped). */
export function parseTableList(text: string): string[] {
  const names: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '' || /^\s/.test(raw)) continue;
    const flagged = /^[-cpairhC]{7}\s+(\S+)/.exec(raw);
    names.push(flagged ? flagged[1] : raw.trim().split(/\s+/)[0]);
  }
  return names;
}

// ------------------------------------------------------------- -s info

export interface InfoEntry {
  key: string;
  /** Remaining columns: e.g. total and rate (`1234`, `1.6/s`). */
  values: string[];
}

export interface InfoSection {
  title: string;
  /** Column titles printed after the section title, if any (`Total`, `Rate`). */
  columns: string[];
  entries: InfoEntry[];
}

/** `pfctl -s info`: the status line becomes a section "Status"; `Key: value` lines join it. */
export function parseInfo(text: string): InfoSection[] {
  const sections: InfoSection[] = [];
  let current: InfoSection | undefined;
  const status = (): InfoSection => {
    let s = sections.find((x) => x.title === 'Status');
    if (!s) {
      s = { title: 'Status', columns: [], entries: [] };
      sections.unshift(s);
    }
    return s;
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line.trim() === '') continue;
    if (/^\s/.test(line)) {
      const parts = line.trim().split(/\s{2,}|\t+/);
      if (!current) current = { title: '', columns: [], entries: [] };
      if (!sections.includes(current)) sections.push(current);
      current.entries.push({ key: parts[0], values: parts.slice(1) });
      continue;
    }
    if (/^Status:/.test(line)) {
      // "Status: Enabled for 0 days 00:12:34           Debug: err"
      const s = status();
      for (const part of line.split(/\s{2,}/)) {
        const kv = /^([^:]+):\s*(.*)$/.exec(part.trim());
        if (kv) s.entries.push({ key: kv[1], values: [kv[2]] });
      }
      current = undefined;
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z ]*):\s+(\S.*)$/.exec(line);
    if (kv) {
      // "Hostid:   0x..." / "Checksum: 0x..." (with -v)
      status().entries.push({ key: kv[1], values: [kv[2].trim()] });
      current = undefined;
      continue;
    }
    const parts = line.split(/\s{2,}/);
    current = { title: parts[0].trim(), columns: parts.slice(1).map((p) => p.trim()), entries: [] };
    sections.push(current);
  }
  return sections;
}

// ----------------------------------------------------------------- spamdb

export interface SpamdbListed {
  type: 'WHITE' | 'GREY';
  ip: string;
  helo: string;
  from: string;
  to: string;
  first: Date;
  pass: Date;
  expire: Date;
  /** Times a connection got a temporary failure from spamd. */
  blockCount: number;
  /** Times a connection was seen passing to the real MTA. */
  passCount: number;
}
export interface SpamdbTrapped {
  type: 'TRAPPED';
  ip: string;
  expire: Date;
}
export interface SpamdbSpamtrap {
  type: 'SPAMTRAP';
  address: string;
}
export type SpamdbEntry = SpamdbListed | SpamdbTrapped | SpamdbSpamtrap;

export interface SpamdbParseResult {
  entries: SpamdbEntry[];
  invalid: string[];
}

function epoch(s: string): Date | undefined {
  if (!/^-?\d+$/.test(s)) return undefined;
  return new Date(Number(s) * 1000);
}
function count(s: string): number | undefined {
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

/**
 * spamdb's listing.  WHITE lines carry empty helo/from/to fields
 * (`WHITE|ip|||first|pass|expire|block|pass`), GREY lines
 * `GREY|ip|helo|from|to|first|pass|expire|block|pass`.  The last five fields
 * are read from the end so that a `|` inside a HELO string does no harm.
 */
export function parseSpamdb(text: string): SpamdbParseResult {
  const result: SpamdbParseResult = { entries: [], invalid: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line === '') continue;
    const f = line.split('|');
    const entry = parseSpamdbFields(f);
    if (entry) result.entries.push(entry);
    else result.invalid.push(line);
  }
  return result;
}

function parseSpamdbFields(f: string[]): SpamdbEntry | undefined {
  switch (f[0]) {
    case 'SPAMTRAP':
      return f.length === 2 && f[1] !== '' ? { type: 'SPAMTRAP', address: f[1] } : undefined;
    case 'TRAPPED': {
      const expire = f.length === 3 ? epoch(f[2]) : undefined;
      return expire && f[1] !== '' ? { type: 'TRAPPED', ip: f[1], expire } : undefined;
    }
    case 'WHITE':
    case 'GREY': {
      if (f.length < 9 || f[1] === '') return undefined;
      const tail = f.slice(-5);
      const [first, pass, expire] = tail.slice(0, 3).map(epoch);
      const [blockCount, passCount] = tail.slice(3).map(count);
      if (!first || !pass || !expire || blockCount === undefined || passCount === undefined) return undefined;
      const middle = f.slice(2, -5);
      while (middle.length < 3) middle.push('');
      const n = middle.length;
      return {
        type: f[0],
        ip: f[1],
        helo: middle.slice(0, n - 2).join('|'),
        from: middle[n - 2],
        to: middle[n - 1],
        first,
        pass,
        expire,
        blockCount,
        passCount,
      };
    }
    default:
      return undefined;
  }
}

/** A readable local-time stamp; the Epoch itself (an unset time) prints as "-". */
export function formatTime(d: Date): string {
  if (d.getTime() === 0) return '-';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Render the database as aligned text tables, grouped WHITE / GREY / TRAPPED / SPAMTRAP. */
export function formatSpamdb(entries: readonly SpamdbEntry[]): string {
  const out: string[] = [];
  const table = (title: string, header: string[], rows: string[][]) => {
    out.push(`${title} (${rows.length})`);
    if (rows.length === 0) {
      out.push('  (none)', '');
      return;
    }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]) => '  ' + r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    out.push(fmt(header), '  ' + widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) out.push(fmt(r));
    out.push('');
  };
  const listed = (type: 'WHITE' | 'GREY') =>
    entries.filter((e): e is SpamdbListed => e.type === type);
  table(
    'WHITE',
    ['IP', 'First seen', 'Passed', 'Expires', 'Blocked', 'Passed to MTA'],
    listed('WHITE').map((e) => [e.ip, formatTime(e.first), formatTime(e.pass), formatTime(e.expire), String(e.blockCount), String(e.passCount)]),
  );
  table(
    'GREY',
    ['IP', 'HELO', 'From', 'To', 'First seen', 'May pass', 'Expires', 'Blocked', 'Passed to MTA'],
    listed('GREY').map((e) => [
      e.ip,
      e.helo,
      e.from,
      e.to,
      formatTime(e.first),
      formatTime(e.pass),
      formatTime(e.expire),
      String(e.blockCount),
      String(e.passCount),
    ]),
  );
  table(
    'TRAPPED',
    ['IP', 'Expires'],
    entries.filter((e): e is SpamdbTrapped => e.type === 'TRAPPED').map((e) => [e.ip, formatTime(e.expire)]),
  );
  table(
    'SPAMTRAP',
    ['Address'],
    entries.filter((e): e is SpamdbSpamtrap => e.type === 'SPAMTRAP').map((e) => [e.address]),
  );
  return out.join('\n');
}
