/**
 * spamd.conf(5): the list configuration read by spamd-setup(8).
 *
 * The file is a getcap(3)/cgetent(3) capability database:
 *   - an entry is one logical line; a `\` right before the newline joins the
 *     next physical line to it (the next line's leading blanks are kept);
 *   - logical lines that are empty or start with `#` are ignored (a `#` line
 *     *inside* a continued entry is not a comment: it becomes part of the entry);
 *   - `name|alias:cap:cap=value:…` — fields are separated by `:`; spamd-setup
 *     lets a double-quoted value (msg) contain `:`;
 *   - the `all` entry lists, in order, the lists to apply.
 *
 * This module parses such a file with exact 0-based ranges and provides
 * diagnostics, hovers and outline symbols. Pure functions.
 */

import type { Position, Range, Severity } from '../types';

export type { Position, Range, Severity };


export interface SpamdConfDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
}

export interface SpamdConfCapability {
  /** Capability name (the text before `=`, `#` or `@`, without surrounding blanks). */
  name: string;
  /** `flag` (`:black:`), `string` (`:file=…:`), `number` (`:n#5:`) or `cancel` (`:msg@:`). */
  type: 'flag' | 'string' | 'number' | 'cancel';
  /** Raw value text after `=`/`#` (quotes kept, continuations removed). */
  value?: string;
  /** Raw field text. */
  text: string;
  /** The field had blanks before its name, so getcap will not recognise it. */
  leadingBlank: boolean;
  range: Range;
  nameRange: Range;
  valueRange?: Range;
}

export interface SpamdConfName {
  name: string;
  range: Range;
}

export interface SpamdConfEntry {
  /** First name of the entry. */
  name: string;
  /** All names (`name|alias|…`). */
  names: SpamdConfName[];
  capabilities: SpamdConfCapability[];
  /** For the `all` entry: the list names, in order. */
  lists: SpamdConfName[];
  /** The whole logical line(s). */
  range: Range;
  nameRange: Range;
}

export interface SpamdConfDocument {
  entries: SpamdConfEntry[];
  /** The first `all` entry, if any. */
  all?: SpamdConfEntry;
  /** Problems found while splitting the file into entries. */
  syntaxDiagnostics: SpamdConfDiagnostic[];
}

// ====================================================================== reading

interface LogicalRecord {
  chars: string;
  /** Position of each character of `chars`. */
  pos: Position[];
  /** Position just after the record's last character. */
  end: Position;
  /** Physical lines after the first one that start with `#`. */
  commentContinuations: number[];
}

function readRecords(text: string, diags: SpamdConfDiagnostic[]): LogicalRecord[] {
  const lines = text.split('\n');
  const records: LogicalRecord[] = [];
  let cur: LogicalRecord | undefined;
  let crlfWarned = false;
  lines.forEach((raw, lineNo) => {
    const hadCR = raw.endsWith('\r');
    const line = hadCR ? raw.slice(0, -1) : raw;
    const continues = line.endsWith('\\');
    if (continues && hadCR && !crlfWarned) {
      crlfWarned = true;
      diags.push({
        code: 'spamd-crlf-continuation',
        severity: 'warning',
        message: 'This file has Windows (CRLF) line endings: getcap only joins lines when `\\` is directly followed by a newline, so spamd-setup will not see these continuations. Convert the file to LF line endings.',
        range: { start: { line: lineNo, character: line.length - 1 }, end: { line: lineNo, character: line.length } },
      });
    }
    const body = continues ? line.slice(0, -1) : line;
    if (!cur) {
      cur = { chars: '', pos: [], end: { line: lineNo, character: 0 }, commentContinuations: [] };
    } else if (body.startsWith('#')) {
      cur.commentContinuations.push(lineNo);
    }
    for (let i = 0; i < body.length; i++) {
      cur.chars += body[i];
      cur.pos.push({ line: lineNo, character: i });
    }
    cur.end = { line: lineNo, character: body.length };
    if (!continues) {
      records.push(cur);
      cur = undefined;
    }
  });
  if (cur) records.push(cur);
  return records;
}

function spanRange(rec: LogicalRecord, s: number, e: number): Range {
  if (rec.pos.length === 0) return { start: rec.end, end: rec.end };
  const start = s < rec.pos.length ? rec.pos[s] : rec.end;
  let end: Position;
  if (e <= s) end = start;
  else if (e - 1 < rec.pos.length) end = { line: rec.pos[e - 1].line, character: rec.pos[e - 1].character + 1 };
  else end = rec.end;
  return { start: { ...start }, end };
}

/** Splits a record at `:` outside double quotes (as spamd-setup does before cgetent). */
function splitFields(chars: string): { s: number; e: number }[] {
  const out: { s: number; e: number }[] = [];
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '"' && (i === 0 || chars[i - 1] !== '\\')) inQuote = !inQuote;
    else if (c === ':' && !inQuote) {
      out.push({ s: start, e: i });
      start = i + 1;
    }
  }
  out.push({ s: start, e: chars.length });
  return out;
}

function trimSpan(chars: string, s: number, e: number): { s: number; e: number } {
  while (s < e && /\s/.test(chars[s])) s++;
  while (e > s && /\s/.test(chars[e - 1])) e--;
  return { s, e };
}

/** Parses a spamd.conf text into entries with exact ranges. */
export function parseSpamdConf(text: string): SpamdConfDocument {
  const syntaxDiagnostics: SpamdConfDiagnostic[] = [];
  const entries: SpamdConfEntry[] = [];
  for (const rec of readRecords(text, syntaxDiagnostics)) {
    const chars = rec.chars;
    if (chars.length === 0 || chars[0] === '#' || chars.trim().length === 0) continue;
    if (/^[\s:]/.test(chars)) {
      const t = trimSpan(chars, 0, chars.length);
      syntaxDiagnostics.push({
        code: 'spamd-orphan-line',
        severity: 'warning',
        message: 'This line is not part of any entry: the previous line does not end with `\\`, so getcap reads it as a separate entry without a usable name and its capabilities are lost.',
        range: spanRange(rec, t.s, t.e),
      });
      continue;
    }
    for (const l of rec.commentContinuations) {
      syntaxDiagnostics.push({
        code: 'spamd-comment-in-entry',
        severity: 'warning',
        message: 'A `#` line inside a continued entry is not a comment: getcap joins it to the entry. Move the comment before the entry.',
        range: { start: { line: l, character: 0 }, end: { line: l, character: (text.split('\n')[l] ?? '').replace(/\\?\r?$/, '').length } },
      });
    }
    const fields = splitFields(chars);
    const nameField = fields[0];
    const names: SpamdConfName[] = [];
    let ns = nameField.s;
    for (let i = nameField.s; i <= nameField.e; i++) {
      if (i === nameField.e || chars[i] === '|') {
        const t = trimSpan(chars, ns, i);
        if (t.e > t.s) names.push({ name: chars.slice(t.s, t.e), range: spanRange(rec, t.s, t.e) });
        ns = i + 1;
      }
    }
    if (names.length === 0) continue;
    const isAll = names.some((n) => n.name === 'all');
    const entry: SpamdConfEntry = {
      name: names[0].name,
      names,
      capabilities: [],
      lists: [],
      range: spanRange(rec, 0, chars.length),
      nameRange: names[0].range,
    };
    for (const f of fields.slice(1)) {
      const raw = chars.slice(f.s, f.e);
      if (raw.trim().length === 0) continue;
      if (isAll) {
        for (const m of raw.matchAll(/[^\s]+/g)) {
          const s = f.s + (m.index ?? 0);
          entry.lists.push({ name: m[0], range: spanRange(rec, s, s + m[0].length) });
        }
        continue;
      }
      const t = trimSpan(chars, f.s, f.e);
      const body = chars.slice(t.s, f.e);
      const nm = /^[^=#@]*/.exec(body)?.[0] ?? '';
      const name = nm.trimEnd();
      const after = body[nm.length];
      const cap: SpamdConfCapability = {
        name,
        type: after === '=' ? 'string' : after === '#' ? 'number' : after === '@' ? 'cancel' : 'flag',
        text: raw,
        leadingBlank: t.s > f.s,
        range: spanRange(rec, t.s, t.e),
        nameRange: spanRange(rec, t.s, t.s + name.length),
      };
      if (after === '=' || after === '#') {
        const vs = t.s + nm.length + 1;
        cap.value = chars.slice(vs, f.e);
        cap.valueRange = spanRange(rec, vs, Math.max(vs, t.e));
      }
      entry.capabilities.push(cap);
    }
    entries.push(entry);
  }
  const all = entries.find((e) => e.names.some((n) => n.name === 'all'));
  return all ? { entries, all, syntaxDiagnostics } : { entries, syntaxDiagnostics };
}

// ====================================================================== knowledge

export interface SpamdCapabilityDoc {
  name: string;
  type: 'flag' | 'string';
  summary: string;
  detail?: string;
}

export const SPAMD_CAPABILITIES: Readonly<Record<string, SpamdCapabilityDoc>> = {
  black: {
    name: 'black',
    type: 'flag',
    summary: 'Makes the entry a blacklist: spamd tarpits connections from its addresses and rejects their mail with this list\'s `msg`.',
    detail: 'With `spamd-setup -b` (blacklist-only mode) the addresses are also loaded into the pf table `<spamd>`. Every black list needs `msg` and `file`.',
  },
  white: {
    name: 'white',
    type: 'flag',
    summary: 'Makes the entry an exception list: its addresses are removed from the black list that comes just before it in `all`.',
    detail: 'To exempt addresses from several black lists, name the white list after each of them in `all`. A white list does not whitelist hosts for greylisting (that is `<spamd-white>`).',
  },
  msg: {
    name: 'msg',
    type: 'string',
    summary: 'The text spamd shows in the SMTP dialogue to hosts on this black list.',
    detail: 'In double quotes it is the message itself: getcap escapes apply (`\\n` newline, `\\"` quote, `\\\\` backslash), colons are allowed, `%A` becomes the client\'s IP address and `%%` a percent sign. Without quotes it is the path of a file holding the message.',
  },
  method: {
    name: 'method',
    type: 'string',
    summary: 'How spamd-setup obtains the list named by `file`: `http`, `https`, `ftp`, `file` (the default) or `exec`.',
    detail: '`http`/`https`/`ftp`: download `method://file` with ftp(1) — so `file` has no scheme. `file`: read a local file. `exec`: run `file` as a command (split at blanks, found via PATH) and read its output.',
  },
  file: {
    name: 'file',
    type: 'string',
    summary: 'Where the addresses come from: a location without scheme for http/https/ftp, a local path for `file`, a command line for `exec`.',
    detail: 'The data has one IPv4 address, CIDR block (`192.0.2.0/24`) or range (`192.0.2.1 - 192.0.2.9`) per line; text after it and `#` lines are ignored. gzip-compressed data is accepted.',
  },
  tc: {
    name: 'tc',
    type: 'string',
    summary: 'getcap "table continuation": includes the capabilities of the named entry here; capabilities given earlier in this entry take precedence.',
  },
};

export const SPAMD_METHODS: Readonly<Record<string, string>> = {
  http: 'Download the list over HTTP with ftp(1): the URL is `http://` + file.',
  https: 'Download the list over HTTPS with ftp(1): the URL is `https://` + file.',
  ftp: 'Download the list over FTP with ftp(1): the URL is `ftp://` + file.',
  file: 'Read the list from the local file named by `file` (the default method).',
  exec: 'Run the command in `file` (split at blanks, looked up in PATH) and read the list from its output.',
};

function levenshtein(a: string, b: string): number {
  const d: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

/** The closest candidate within a small edit distance, for "did you mean". */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lw = word.toLowerCase();
  for (const c of candidates) {
    const d = levenshtein(lw, c.toLowerCase());
    const limit = Math.max(1, Math.min(2, Math.floor(c.length / 3)));
    if (d <= limit && d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

// ====================================================================== semantics

interface Effective {
  /** First occurrence of each capability after tc= expansion (undefined when cancelled). */
  caps: Map<string, SpamdConfCapability | null>;
}

function lookupEntry(doc: SpamdConfDocument, name: string): SpamdConfEntry | undefined {
  return doc.entries.find((e) => e.names.some((n) => n.name === name));
}

function effective(doc: SpamdConfDocument, entry: SpamdConfEntry, depth = 0, seen = new Set<SpamdConfEntry>()): Effective {
  const caps = new Map<string, SpamdConfCapability | null>();
  if (depth > 32 || seen.has(entry)) return { caps };
  seen.add(entry);
  for (const c of entry.capabilities) {
    if (c.leadingBlank) continue;
    if (c.name === 'tc' && c.type === 'string' && c.value !== undefined) {
      const target = lookupEntry(doc, c.value.trim());
      if (target) {
        for (const [k, v] of effective(doc, target, depth + 1, seen).caps) if (!caps.has(k)) caps.set(k, v);
      }
      continue;
    }
    if (!caps.has(c.name)) caps.set(c.name, c.type === 'cancel' ? null : c);
  }
  return { caps };
}

function has(eff: Effective, name: string, type?: SpamdConfCapability['type']): SpamdConfCapability | undefined {
  const c = eff.caps.get(name);
  if (!c) return undefined;
  if (type && c.type !== type) return undefined;
  return c;
}

function unquote(v: string): string {
  const t = v.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** Diagnostics for a spamd.conf file. */
export function spamdConfDiagnostics(text: string): SpamdConfDiagnostic[] {
  const doc = parseSpamdConf(text);
  const out: SpamdConfDiagnostic[] = [...doc.syntaxDiagnostics];
  const definedNames = new Set(doc.entries.flatMap((e) => e.names.map((n) => n.name)));

  // duplicate entries
  const firstByName = new Map<string, SpamdConfEntry>();
  for (const e of doc.entries) {
    for (const n of e.names) {
      const first = firstByName.get(n.name);
      if (first && first !== e) {
        out.push({ code: 'spamd-duplicate-entry', severity: 'warning', message: `Entry "${n.name}" is already defined on line ${first.nameRange.start.line + 1}; spamd-setup only uses the first one.`, range: n.range });
      } else if (!first) firstByName.set(n.name, e);
    }
  }

  // the all entry
  const referenced = new Set<string>();
  if (!doc.all) {
    if (doc.entries.length > 0) {
      out.push({ code: 'spamd-missing-all', severity: 'error', message: 'There is no `all` entry: spamd-setup starts from `all:` (the ordered list of lists to apply) and fails without it.', range: doc.entries[0].nameRange });
    }
  } else {
    const all = doc.all;
    if (all.lists.length === 0) {
      out.push({ code: 'spamd-empty-all', severity: 'warning', message: 'The `all` entry names no lists, so spamd-setup configures nothing.', range: all.nameRange });
    }
    let sawBlack = false;
    for (const l of all.lists) {
      referenced.add(l.name);
      const target = lookupEntry(doc, l.name);
      if (!target) {
        const hint = didYouMean(l.name, [...definedNames].filter((n) => n !== 'all'));
        out.push({ code: 'spamd-undefined-list', severity: 'error', message: `List "${l.name}" is named in \`all\` but no entry defines it${hint ? `; did you mean "${hint}"?` : '.'}`, range: l.range });
        continue;
      }
      const eff = effective(doc, target);
      const black = !!has(eff, 'black', 'flag');
      const white = !!has(eff, 'white', 'flag');
      if (black) sawBlack = true;
      else if (white && !sawBlack) {
        out.push({ code: 'spamd-white-before-black', severity: 'warning', message: `White list "${l.name}" comes before any black list in \`all\`; a white list only removes addresses from the black list before it, so it has no effect here.`, range: l.range });
      }
    }
  }

  // entries included by others with tc= are templates: not complete lists on their own
  const tcTargets = new Set<string>();
  for (const e of doc.entries) {
    for (const c of e.capabilities) if (c.name === 'tc' && c.value !== undefined) tcTargets.add(c.value.trim());
  }

  // each list entry
  for (const e of doc.entries) {
    if (e === doc.all || e.names.some((n) => n.name === 'all')) continue;
    if (firstByName.get(e.name) !== e) continue;
    const used = e.names.some((n) => referenced.has(n.name));
    const template = !used && e.names.some((n) => tcTargets.has(n.name));
    const sev: Severity = used || !doc.all ? 'error' : 'warning';
    const unusedNote = used || !doc.all ? '' : ' (this list is not used in `all`)';
    const seen = new Map<string, SpamdConfCapability>();
    const caps = e.capabilities;
    for (let ci = 0; ci < caps.length; ci++) {
      const c = caps[ci];
      // `file=https://host/path`: the colon of the scheme ends the capability
      const next = caps[ci + 1];
      if (c.name === 'file' && c.type === 'string' && next && /^[a-z][a-z0-9+.-]*$/i.test((c.value ?? '').trim()) && next.text.startsWith('//')) {
        const scheme = (c.value ?? '').trim();
        out.push({ code: 'spamd-file-has-scheme', severity: 'error', message: `The ":" of "${scheme}://" ends the capability, so file is just "${scheme}". Give the location without the scheme (method=${scheme} supplies it): file=${next.text.slice(2).trim()}`, range: { start: c.range.start, end: next.range.end } });
        ci++;
        continue;
      }
      if (c.leadingBlank) {
        const known = SPAMD_CAPABILITIES[c.name] ? ` Write \`:${c.text.trim()}:\` instead.` : '';
        out.push({ code: 'spamd-capability-whitespace', severity: 'warning', message: `Blanks before the capability name: getcap will not recognise "${c.name}".${known}`, range: c.range });
        continue;
      }
      const known = SPAMD_CAPABILITIES[c.name];
      if (!known) {
        const hint = didYouMean(c.name, Object.keys(SPAMD_CAPABILITIES));
        out.push({ code: 'spamd-unknown-capability', severity: 'warning', message: `Unknown capability "${c.name}"; spamd-setup ignores it${hint ? `. Did you mean "${hint}"?` : '. Known: black, white, msg, method, file (and tc).'}`, range: c.nameRange });
        continue;
      }
      if (c.type !== 'cancel') {
        if (known.type === 'flag' && c.type !== 'flag') {
          out.push({ code: 'spamd-capability-type', severity: 'error', message: `"${c.name}" is a flag and takes no value: write \`:${c.name}:\`. As written, spamd-setup does not see it.`, range: c.range });
        } else if (known.type === 'string' && c.type !== 'string') {
          out.push({ code: 'spamd-capability-type', severity: 'error', message: `"${c.name}" needs a value: write \`:${c.name}=…:\`.`, range: c.range });
        }
      }
      const prev = seen.get(c.name);
      if (prev && c.name !== 'tc') {
        out.push({ code: 'spamd-duplicate-capability', severity: 'warning', message: `"${c.name}" is given twice; only the first one (line ${prev.range.start.line + 1}) counts.`, range: c.range });
      } else seen.set(c.name, c);
      if (c.name === 'tc' && c.type === 'string' && c.value !== undefined && !lookupEntry(doc, c.value.trim())) {
        const hint = didYouMean(c.value.trim(), [...definedNames]);
        out.push({ code: 'spamd-undefined-tc', severity: 'error', message: `tc= refers to entry "${c.value.trim()}", which is not defined${hint ? `; did you mean "${hint}"?` : '.'}`, range: c.valueRange ?? c.range });
      }
    }

    const eff = effective(doc, e);
    const black = has(eff, 'black', 'flag');
    const white = has(eff, 'white', 'flag');
    const msg = has(eff, 'msg', 'string');
    const method = has(eff, 'method', 'string');
    const file = has(eff, 'file', 'string');
    const methodName = method?.value !== undefined ? method.value.trim() : undefined;

    if (template) continue;
    if (!black && !white) {
      out.push({ code: 'spamd-missing-type', severity: sev, message: `List "${e.name}" has neither \`:black:\` nor \`:white:\`; spamd-setup stops with an error when it reaches it${unusedNote}.`, range: e.nameRange });
    } else if (black && white) {
      out.push({ code: 'spamd-black-and-white', severity: 'warning', message: `List "${e.name}" has both \`:black:\` and \`:white:\`; spamd-setup treats it as a black list.`, range: white.range });
    }
    if (black && !msg) {
      out.push({ code: 'spamd-missing-msg', severity: sev, message: `Black list "${e.name}" has no \`msg=\`; spamd-setup refuses black lists without a rejection message${unusedNote}.`, range: e.nameRange });
    }
    if (!black && white && msg) {
      out.push({ code: 'spamd-unused-msg', severity: 'hint', message: '`msg` is only used for black lists; it has no effect on a white list.', range: msg.range });
    }
    if (!file || (file.value ?? '').trim() === '') {
      const how = methodName === undefined || methodName === 'file'
        ? `method=${methodName ?? 'file'}${methodName === undefined ? ' (the default)' : ''} needs \`file=/path/to/list\``
        : `method=${methodName} needs \`file=\` with the ${methodName === 'exec' ? 'command to run' : 'location to fetch'}`;
      out.push({ code: 'spamd-missing-file', severity: sev, message: `List "${e.name}" has no file: ${how}${unusedNote}.`, range: file?.range ?? e.nameRange });
    }
    if (method && methodName !== undefined && !SPAMD_METHODS[methodName]) {
      const hint = didYouMean(methodName, Object.keys(SPAMD_METHODS));
      out.push({ code: 'spamd-unknown-method', severity: sev, message: `Unknown method "${methodName}"${hint ? ` (did you mean "${hint}"?)` : ''}; spamd-setup knows http, https, ftp, file and exec.`, range: method.valueRange ?? method.range });
    }
    if (file?.value !== undefined && methodName !== undefined && ['http', 'https', 'ftp'].includes(methodName)) {
      const m = /^\s*([a-z][a-z0-9+.-]*):\/\//i.exec(file.value);
      if (m) {
        out.push({ code: 'spamd-file-has-scheme', severity: 'warning', message: `spamd-setup builds the URL as "${methodName}://" + file, so this becomes "${methodName}://${file.value.trim()}". Leave out "${m[1]}://".`, range: file.valueRange ?? file.range });
      }
    }
    if (file?.value !== undefined && (methodName === undefined || methodName === 'file')) {
      const p = file.value.trim();
      if (p && !p.startsWith('/')) {
        out.push({ code: 'spamd-relative-file', severity: 'information', message: `"${p}" is a relative path; spamd-setup changes to / first, so it is read as "/${p}".`, range: file.valueRange ?? file.range });
      }
    }
    if (msg?.value !== undefined) {
      const v = msg.value.trim();
      if (v.startsWith('"') && (v.length < 2 || !v.endsWith('"'))) {
        const unterminated = (v.match(/(^|[^\\])"/g) ?? []).length % 2 === 1;
        out.push(unterminated
          ? { code: 'spamd-unterminated-quote', severity: 'error', message: 'The quoted message is not closed with `"`; everything up to the end of the entry becomes part of it.', range: msg.range }
          : { code: 'spamd-msg-quote', severity: 'warning', message: 'The message starts with `"` but does not end with one, so spamd-setup treats it as a file name.', range: msg.range });
      } else if (!v.startsWith('"') && /\s/.test(v) && !v.startsWith('/')) {
        out.push({ code: 'spamd-msg-not-quoted', severity: 'warning', message: 'An unquoted msg is the name of a file holding the message. Put message text in double quotes.', range: msg.range });
      }
    }
  }
  return out;
}

// ====================================================================== hover & symbols

export interface SpamdConfHover {
  markdown: string;
  range: Range;
}

function contains(r: Range, line: number, character: number): boolean {
  if (line < r.start.line || line > r.end.line) return false;
  if (line === r.start.line && character < r.start.character) return false;
  if (line === r.end.line && character > r.end.character) return false;
  return true;
}

/** Decodes a quoted msg as spamd would show it (getcap escapes, %A, %%). */
export function decodeSpamdMessage(value: string): string {
  let s = unquote(value);
  s = s.replace(/\n[ \t]*/g, ' ');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      const n = s[++i];
      out += n === 'n' || n === 'N' ? '\n' : n === 't' || n === 'T' ? '\t' : n;
    } else out += c;
  }
  return out.replace(/%A/g, '192.0.2.1').replace(/%%/g, '%');
}

function entryKind(doc: SpamdConfDocument, e: SpamdConfEntry): 'black' | 'white' | 'unknown' {
  const eff = effective(doc, e);
  if (has(eff, 'black', 'flag')) return 'black';
  if (has(eff, 'white', 'flag')) return 'white';
  return 'unknown';
}

function entryMarkdown(doc: SpamdConfDocument, e: SpamdConfEntry): string {
  if (e === doc.all) {
    return [
      '**`all`** — the lists spamd-setup applies, in order',
      'Each white list removes its addresses from the black list before it. A name may appear several times (e.g. after each black list a white list should apply to).',
      e.lists.length ? 'Lists: ' + e.lists.map((l) => `\`${l.name}\``).join(' → ') : 'No lists named.',
    ].join('\n\n');
  }
  const eff = effective(doc, e);
  const kind = entryKind(doc, e);
  const out = [`**\`${e.name}\`** — ${kind === 'unknown' ? 'list (neither black nor white)' : `${kind} list`} (line ${e.nameRange.start.line + 1})`];
  const method = has(eff, 'method', 'string')?.value?.trim();
  const file = has(eff, 'file', 'string')?.value?.trim();
  if (file !== undefined) {
    const m = method ?? 'file';
    out.push(`Source: ${['http', 'https', 'ftp'].includes(m) ? `\`${m}://${file}\`` : m === 'exec' ? `output of \`${file}\`` : `file \`${file}\``}`);
  }
  const msg = has(eff, 'msg', 'string')?.value;
  if (msg !== undefined) {
    const v = msg.trim();
    out.push(v.startsWith('"') ? 'Message:\n\n```text\n' + decodeSpamdMessage(v) + '\n```' : `Message read from \`${v}\``);
  }
  const pos = doc.all?.lists.map((l, i) => (e.names.some((n) => n.name === l.name) ? i + 1 : 0)).filter((i) => i > 0) ?? [];
  out.push(pos.length ? `Applied at position ${pos.join(', ')} of \`all\`.` : 'Not used in `all`.');
  if (e.names.length > 1) out.push('Also known as: ' + e.names.slice(1).map((n) => `\`${n.name}\``).join(', '));
  return out.join('\n\n');
}

const MAN_LINK = '[spamd.conf(5)](https://man.openbsd.org/spamd.conf.5)';

function capabilityMarkdown(c: SpamdConfCapability): string {
  const d = SPAMD_CAPABILITIES[c.name];
  if (!d) {
    const hint = didYouMean(c.name, Object.keys(SPAMD_CAPABILITIES));
    return `**\`${c.name}\`** — not a spamd.conf capability; spamd-setup ignores it.${hint ? ` Did you mean \`${hint}\`?` : ''}`;
  }
  const out = [`**\`${d.type === 'flag' ? `:${d.name}:` : `:${d.name}=…:`}\`**`, d.summary];
  if (d.detail) out.push(d.detail);
  if (c.name === 'method' && c.value !== undefined) {
    const m = SPAMD_METHODS[c.value.trim()];
    out.push(m ? `\`${c.value.trim()}\`: ${m}` : `⚠️ \`${c.value.trim()}\` is not a known method.`);
  }
  if (c.name === 'msg' && c.value !== undefined && c.value.trim().startsWith('"')) {
    out.push('As shown to a client from 192.0.2.1:\n\n```text\n' + decodeSpamdMessage(c.value) + '\n```');
  }
  out.push(MAN_LINK);
  return out.join('\n\n');
}

/** Hover for a position in a spamd.conf file: capabilities, method values, entry and list names. */
export function spamdConfHover(text: string, line: number, character: number): SpamdConfHover | undefined {
  const doc = parseSpamdConf(text);
  for (const e of doc.entries) {
    if (!contains(e.range, line, character)) continue;
    for (const n of e.names) {
      if (contains(n.range, line, character)) return { markdown: entryMarkdown(doc, e) + '\n\n' + MAN_LINK, range: n.range };
    }
    for (const l of e.lists) {
      if (contains(l.range, line, character)) {
        const target = lookupEntry(doc, l.name);
        return {
          markdown: target ? entryMarkdown(doc, target) : `**\`${l.name}\`** — ⚠️ no entry defines this list.`,
          range: l.range,
        };
      }
    }
    for (const c of e.capabilities) {
      if (c.valueRange && contains(c.valueRange, line, character)) {
        if (c.name === 'tc' && c.value !== undefined) {
          const target = lookupEntry(doc, c.value.trim());
          if (target) return { markdown: entryMarkdown(doc, target), range: c.valueRange };
        }
        return { markdown: capabilityMarkdown(c), range: c.valueRange };
      }
      if (contains(c.range, line, character)) return { markdown: capabilityMarkdown(c), range: c.nameRange };
    }
  }
  return undefined;
}

export interface SpamdConfSymbol {
  name: string;
  /** `all`, a black or white list, or an entry that is neither. */
  kind: 'all' | 'black' | 'white' | 'unknown';
  /** Short description, e.g. `black · https` or `nixspam → override`. */
  detail: string;
  range: Range;
  selectionRange: Range;
  children: { name: string; detail: string; range: Range; selectionRange: Range }[];
}

/** Outline of a spamd.conf file: one symbol per entry, with its capabilities as children. */
export function spamdConfSymbols(text: string): SpamdConfSymbol[] {
  const doc = parseSpamdConf(text);
  return doc.entries.map((e) => {
    if (e === doc.all) {
      return {
        name: e.name,
        kind: 'all' as const,
        detail: e.lists.map((l) => l.name).join(' → '),
        range: e.range,
        selectionRange: e.nameRange,
        children: e.lists.map((l) => ({ name: l.name, detail: 'list', range: l.range, selectionRange: l.range })),
      };
    }
    const kind = entryKind(doc, e);
    const method = has(effective(doc, e), 'method', 'string')?.value?.trim() ?? 'file';
    return {
      name: e.name,
      kind,
      detail: `${kind === 'unknown' ? 'list' : kind} · ${method}`,
      range: e.range,
      selectionRange: e.nameRange,
      children: e.capabilities.map((c) => ({
        name: c.name,
        detail: c.value !== undefined ? c.value.trim().replace(/\s+/g, ' ').slice(0, 60) : c.type,
        range: c.range,
        selectionRange: c.nameRange,
      })),
    };
  });
}
