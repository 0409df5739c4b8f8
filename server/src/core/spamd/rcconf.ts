/**
 * spamd-related lines of rc.conf, rc.conf.local and rc.conf.d/* files:
 * `spamd_flags="-v -G 25:4:864"` (OpenBSD), `obspamd_flags=…` (FreeBSD port),
 * `spamlogd_flags=`, `obspamlogd_flags=`, `spamd_black=`, …
 *
 * Also finds spamd command lines mentioned in pf.conf comments
 * (`# spamd -G 25:4:864`) for hovers. Pure functions, 0-based positions.
 */

import {
  SpamdFlavor,
  SpamdProgram,
  checkSpamdArgument,
  explainSpamdArgument,
  findSpamdOption,
  spamdOptionDoc,
  spamdOptionsWithArgument,
  spamdProgramDoc,
  spamdTableDoc,
} from '../docs/spamd';

import type { Position, Range, Severity } from '../types';

export type { Position, Range, Severity };

export interface HoverResult {
  markdown: string;
  range: Range;
}


export interface RcDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
}

// ====================================================================== paths

/**
 * Whether a path looks like an rc.conf file: `rc.conf`, `rc.conf.local`,
 * `defaults/rc.conf`, or any file in an `rc.conf.d` directory (FreeBSD).
 */
export function isRcConfPath(path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/').filter((p) => p.length > 0);
  const base = parts[parts.length - 1] ?? '';
  const parent = parts[parts.length - 2] ?? '';
  if (/^rc\.conf(\.local)?$/.test(base)) return true;
  return parent === 'rc.conf.d' && base.length > 0;
}

// ====================================================================== variables

export interface RcVariableDoc {
  name: string;
  /** Program whose command-line flags the value holds. */
  program?: SpamdProgram;
  flavor: SpamdFlavor;
  kind: 'flags' | 'enable' | 'yesno' | 'interface';
  summary: string;
}

const V = (name: string, flavor: SpamdFlavor, kind: RcVariableDoc['kind'], summary: string, program?: SpamdProgram): RcVariableDoc =>
  program ? { name, flavor, kind, summary, program } : { name, flavor, kind, summary };

export const SPAMD_RC_VARIABLES: Readonly<Record<string, RcVariableDoc>> = {
  spamd_flags: V('spamd_flags', 'openbsd', 'flags', 'Command-line options for spamd(8) (OpenBSD). `NO` disables spamd; an empty value starts it with the defaults. Usually set in /etc/rc.conf.local, e.g. with `rcctl set spamd flags …`.', 'spamd'),
  spamd_black: V('spamd_black', 'openbsd', 'yesno', 'OpenBSD: `YES` starts spamd in blacklist-only mode (no greylisting; the rc script adds -b). spamd-setup then has to run with -b too, so that it fills the pf table `<spamd>`.'),
  spamlogd_flags: V('spamlogd_flags', 'openbsd', 'flags', 'Command-line options for spamlogd(8) (OpenBSD), which renews whitelist entries from pflog. It only has work to do when spamd greylists.', 'spamlogd'),
  spamd_setup_flags: V('spamd_setup_flags', 'openbsd', 'flags', 'Options for spamd-setup(8). Not read by the stock OpenBSD or FreeBSD-port start scripts (they run spamd-setup themselves); only meaningful if your own scripts use it.', 'spamd-setup'),
  obspamd_enable: V('obspamd_enable', 'freebsd-port', 'enable', 'FreeBSD port (mail/spamd): `YES` starts spamd at boot; after starting, the rc script also runs spamd-setup if spamd.conf exists.'),
  obspamd_flags: V('obspamd_flags', 'freebsd-port', 'flags', 'Command-line options for the FreeBSD port\'s spamd. Without -b (greylisting) the rc script requires fdescfs mounted on /dev/fd.', 'spamd'),
  obspamlogd_enable: V('obspamlogd_enable', 'freebsd-port', 'enable', 'FreeBSD port: `YES` starts spamlogd at boot (requires fdescfs on /dev/fd).'),
  obspamlogd_flags: V('obspamlogd_flags', 'freebsd-port', 'flags', 'Command-line options for the FreeBSD port\'s spamlogd.', 'spamlogd'),
  obspamlogd_pflog_if: V('obspamlogd_pflog_if', 'freebsd-port', 'interface', 'FreeBSD port: a pflog interface (e.g. pflog1) that the rc script creates and passes to spamlogd with -l.'),
};

export interface RcAssignment {
  name: string;
  /** Value without quotes. */
  value: string;
  line: number;
  nameRange: Range;
  /** Range of the value text (inside the quotes, if any). */
  valueRange: Range;
  quote?: '"' | "'";
}

const ASSIGN = /^(\s*)(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=/;

function parseAssignment(lineText: string, line: number): RcAssignment | undefined {
  const m = ASSIGN.exec(lineText);
  if (!m) return undefined;
  const name = m[2];
  const nameStart = m[0].length - 1 - name.length;
  let i = m[0].length;
  let quote: '"' | "'" | undefined;
  let start = i;
  let end: number;
  const q = lineText[i];
  if (q === '"' || q === "'") {
    quote = q;
    start = i + 1;
    end = start;
    while (end < lineText.length && lineText[end] !== q) {
      if (q === '"' && lineText[end] === '\\') end++;
      end++;
    }
    end = Math.min(end, lineText.length);
  } else {
    end = start;
    while (end < lineText.length && !/[\s#;]/.test(lineText[end])) end++;
  }
  const a: RcAssignment = {
    name,
    value: lineText.slice(start, end),
    line,
    nameRange: { start: { line, character: nameStart }, end: { line, character: nameStart + name.length } },
    valueRange: { start: { line, character: start }, end: { line, character: end } },
  };
  if (quote) a.quote = quote;
  return a;
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The spamd-related assignments of an rc.conf file, in order. */
export function findSpamdRcAssignments(text: string): RcAssignment[] {
  const out: RcAssignment[] = [];
  splitLines(text).forEach((l, i) => {
    const a = parseAssignment(l, i);
    if (a && SPAMD_RC_VARIABLES[a.name]) out.push(a);
  });
  return out;
}

// ====================================================================== getopt-style parsing

export interface ParsedFlag {
  kind: 'option' | 'operand';
  /** Option letter (for options). */
  letter?: string;
  /** Offsets of the option (including its dash when it is the first letter of a group) or operand. */
  start: number;
  end: number;
  arg?: string;
  argStart?: number;
  argEnd?: number;
  /** The program knows this option (in the given flavour, if any). */
  known: boolean;
  /** The option exists only in the other flavour. */
  otherFlavor?: boolean;
  needsArg: boolean;
  missingArg?: boolean;
}

/**
 * Splits a command-line string as getopt(3) would for `program`: grouped flags
 * (`-vb`), attached (`-G25:4:864`) or separate (`-G 25:4:864`) arguments, `--`,
 * and operands. Offsets are relative to `text`.
 */
export function parseSpamdFlags(program: SpamdProgram, text: string, flavor?: SpamdFlavor): ParsedFlag[] {
  const withArg = spamdOptionsWithArgument(program);
  const tokens: { t: string; s: number }[] = [];
  for (const m of text.matchAll(/\S+/g)) tokens.push({ t: m[0], s: m.index ?? 0 });
  const out: ParsedFlag[] = [];
  let optionsDone = false;
  for (let ti = 0; ti < tokens.length; ti++) {
    const { t, s } = tokens[ti];
    if (!optionsDone && t === '--') {
      optionsDone = true;
      continue;
    }
    if (optionsDone || !t.startsWith('-') || t.length < 2) {
      if (program !== 'spamdb') optionsDone = true;
      out.push({ kind: 'operand', start: s, end: s + t.length, known: false, needsArg: false });
      continue;
    }
    for (let i = 1; i < t.length; i++) {
      const letter = t[i];
      const inFlavor = findSpamdOption(program, letter, flavor);
      const anywhere = findSpamdOption(program, letter);
      const needsArg = withArg.has(letter);
      const f: ParsedFlag = {
        kind: 'option',
        letter,
        start: i === 1 ? s : s + i,
        end: s + i + 1,
        known: !!inFlavor,
        needsArg,
      };
      if (!inFlavor && anywhere) f.otherFlavor = true;
      out.push(f);
      if (needsArg) {
        if (i + 1 < t.length) {
          f.arg = t.slice(i + 1);
          f.argStart = s + i + 1;
          f.argEnd = s + t.length;
        } else if (ti + 1 < tokens.length) {
          const n = tokens[++ti];
          f.arg = n.t;
          f.argStart = n.s;
          f.argEnd = n.s + n.t.length;
        } else {
          f.missingArg = true;
        }
        break;
      }
    }
  }
  return out;
}

// ====================================================================== hover

function optionMarkdown(program: SpamdProgram, f: ParsedFlag, flavor?: SpamdFlavor): string | undefined {
  if (!f.letter) return undefined;
  const doc = spamdOptionDoc(program, f.letter, flavor);
  if (!doc) return `⚠️ \`-${f.letter}\` is not an option of ${program}(8).`;
  if (f.arg === undefined) return doc;
  const explained = explainSpamdArgument(program, f.letter, f.arg);
  return explained ? `${explained}\n\n---\n\n${doc}` : doc;
}

function rcVariableMarkdown(v: RcVariableDoc, value: string): string {
  const out = [`**\`${v.name}\`** — ${v.flavor === 'openbsd' ? 'OpenBSD rc.conf' : 'FreeBSD rc.conf (mail/spamd port)'}`, v.summary];
  const upper = value.toUpperCase();
  if (v.kind === 'flags' && upper === 'NO') out.push(`Currently \`NO\`: ${v.program ?? 'the program'} is not started.`);
  else if (v.kind === 'flags' && value.trim() === '') out.push(`Currently empty: ${v.program ?? 'the program'} runs with its default options.`);
  else if ((v.kind === 'enable' || v.kind === 'yesno') && value) out.push(`Currently \`${value}\`${/^(YES|TRUE|ON|1)$/.test(upper) ? ' (on)' : /^(NO|FALSE|OFF|0)$/.test(upper) ? ' (off)' : ''}.`);
  if (v.program) {
    const p = spamdProgramDoc(v.program);
    if (p) out.push('---', p);
  }
  return out.join('\n\n');
}

/**
 * The option (or option argument) at offset `rel`. Spans are matched half-open
 * first, so a cursor between `-v` and `b` in `-vb` picks `b`; the end of the
 * last span still counts.
 */
function flagAt(flags: ParsedFlag[], rel: number): { flag: ParsedFlag; onArg: boolean } | undefined {
  const opts = flags.filter((f) => f.kind === 'option');
  for (const closed of [false, true]) {
    for (const f of opts) {
      const inside = (s: number, e: number) => rel >= s && (closed ? rel <= e : rel < e);
      if (inside(f.start, f.end)) return { flag: f, onArg: false };
      if (f.argStart !== undefined && f.argEnd !== undefined && inside(f.argStart, f.argEnd)) return { flag: f, onArg: true };
    }
  }
  return undefined;
}

/**
 * Hover for a position in an rc.conf file: the variable name, the NO/YES value,
 * or an option letter / option argument inside a `*_flags` value (e.g. `-G` or
 * `25:4:864` in `spamd_flags="-v -G 25:4:864"`).
 */
export function rcConfHover(text: string, line: number, character: number): HoverResult | undefined {
  const lineText = splitLines(text)[line];
  if (lineText === undefined) return undefined;
  const a = parseAssignment(lineText, line);
  if (!a) return undefined;
  const v = SPAMD_RC_VARIABLES[a.name];
  if (!v) return undefined;
  const inRange = (r: Range) => character >= r.start.character && character <= r.end.character;
  if (inRange(a.nameRange)) return { markdown: rcVariableMarkdown(v, a.value), range: a.nameRange };
  const vs = a.valueRange.start.character;
  if (character < vs - (a.quote ? 1 : 0) || character > a.valueRange.end.character + (a.quote ? 1 : 0)) return undefined;
  if (v.kind !== 'flags' || !v.program || a.value.trim().toUpperCase() === 'NO') {
    return { markdown: rcVariableMarkdown(v, a.value), range: a.valueRange };
  }
  const rel = character - vs;
  const flags = parseSpamdFlags(v.program, a.value, v.flavor);
  const mk = (s: number, e: number): Range => ({ start: { line, character: vs + s }, end: { line, character: vs + e } });
  const hit = flagAt(flags, rel);
  if (!hit) return undefined;
  const md = optionMarkdown(v.program, hit.flag, v.flavor);
  if (!md) return undefined;
  return { markdown: md, range: hit.onArg ? mk(hit.flag.argStart ?? 0, hit.flag.argEnd ?? 0) : mk(hit.flag.start, hit.flag.end) };
  return undefined;
}

// ====================================================================== diagnostics

/** Problems in the values of spamd-related rc.conf variables. */
export function rcConfDiagnostics(text: string): RcDiagnostic[] {
  const out: RcDiagnostic[] = [];
  for (const a of findSpamdRcAssignments(text)) {
    const v = SPAMD_RC_VARIABLES[a.name];
    if (!v || v.kind !== 'flags' || !v.program || a.value.trim().toUpperCase() === 'NO') continue;
    const vs = a.valueRange.start.character;
    const mk = (s: number, e: number): Range => ({ start: { line: a.line, character: vs + s }, end: { line: a.line, character: vs + e } });
    for (const f of parseSpamdFlags(v.program, a.value, v.flavor)) {
      if (f.kind === 'operand') {
        if (v.program !== 'spamdb') {
          out.push({ code: 'spamd-rc-unexpected-argument', severity: 'warning', message: `${v.program} takes no arguments besides options; \`${a.value.slice(f.start, f.end)}\` would make it exit with a usage message.`, range: mk(f.start, f.end) });
        }
        continue;
      }
      if (!f.known) {
        out.push(f.otherFlavor
          ? { code: 'spamd-rc-option-flavor', severity: 'warning', message: `-${f.letter} is not available in the ${v.flavor === 'openbsd' ? 'OpenBSD' : 'FreeBSD port'} version of ${v.program}.`, range: mk(f.start, f.end) }
          : { code: 'spamd-rc-unknown-option', severity: 'error', message: `-${f.letter} is not an option of ${v.program}(8).`, range: mk(f.start, f.end) });
        continue;
      }
      if (f.missingArg) {
        const o = findSpamdOption(v.program, f.letter ?? '');
        out.push({ code: 'spamd-rc-missing-argument', severity: 'error', message: `-${f.letter} needs an argument (${o?.arg ?? 'value'}).`, range: mk(f.start, f.end) });
        continue;
      }
      if (f.arg !== undefined && f.argStart !== undefined && f.argEnd !== undefined) {
        const problem = checkSpamdArgument(v.program, f.letter ?? '', f.arg);
        if (problem) out.push({ code: 'spamd-rc-bad-argument', severity: problem.severity, message: problem.message, range: mk(f.argStart, f.argEnd) });
      }
    }
  }
  return out;
}

// ====================================================================== comments

export interface CommentHover {
  markdown: string;
  /** Offsets within the comment text. */
  range: { start: number; end: number };
}

const PROGRAM_RE = /(?:^|[\s/"'`(=#])((?:ob)?spamd-setup|(?:ob)?spamlogd|(?:ob)?spamd|spamdb)(?=$|[\s"'`);|&])/g;

function programOf(word: string): { program: SpamdProgram; flavor?: SpamdFlavor } {
  const port = word.startsWith('ob');
  const p = (port ? word.slice(2) : word) as SpamdProgram;
  return port ? { program: p, flavor: 'freebsd-port' } : { program: p };
}

/**
 * Hover inside a comment that mentions a spamd command line, e.g. the `-G` or
 * `25:4:864` of `# spamd -G 25:4:864`, a program name, or a spamd table name
 * such as `<spamd-white>`. `offset` and the returned range are offsets into
 * `commentText` (which may include the leading `#`).
 */
export function commentOptionHover(commentText: string, offset: number): CommentHover | undefined {
  // spamd tables named in the comment
  for (const m of commentText.matchAll(/<(spamd-white|spamd-greytrap|spamd|nospamd)>/g)) {
    const s = m.index ?? 0;
    if (offset >= s && offset <= s + m[0].length) {
      const md = spamdTableDoc(m[1]);
      if (md) return { markdown: md, range: { start: s, end: s + m[0].length } };
    }
  }
  for (const m of commentText.matchAll(PROGRAM_RE)) {
    const word = m[1];
    const nameStart = (m.index ?? 0) + m[0].length - word.length;
    const nameEnd = nameStart + word.length;
    const { program, flavor } = programOf(word);
    if (offset >= nameStart && offset <= nameEnd) {
      const md = spamdProgramDoc(program);
      if (md) return { markdown: md, range: { start: nameStart, end: nameEnd } };
    }
    // the command line runs to the end of the comment or a shell separator
    let stop = commentText.slice(nameEnd).search(/[;|&)#]/);
    stop = stop < 0 ? commentText.length : nameEnd + stop;
    if (offset < nameEnd || offset > stop) continue;
    const args = commentText.slice(nameEnd, stop);
    const known = parseSpamdFlags(program, args, flavor).filter((f) => f.kind === 'option' && !!findSpamdOption(program, f.letter ?? ''));
    const hit = flagAt(known, offset - nameEnd);
    if (!hit) continue;
    const md = optionMarkdown(program, hit.flag, flavor);
    if (!md) continue;
    const s = hit.onArg ? hit.flag.argStart ?? 0 : hit.flag.start;
    const e = hit.onArg ? hit.flag.argEnd ?? 0 : hit.flag.end;
    return { markdown: md, range: { start: nameEnd + s, end: nameEnd + e } };
  }
  return undefined;
}
