/**
 * A recursive-descent reader of pf.conf over the macro-expanding lexer,
 * producing RuleSpecs and printing the statements pfctl -nv echoes while
 * parsing (macros, set options, tables).
 */
import { createHash } from 'crypto';
import { Lexer, type Token } from './lexer';
import { parseAddr, parseV4, type Af } from './addr';
import type { HostSpec, PortSpec, PoolOpts, Redirect, RuleSpec, ScrubOpts, Statement, StateOpt } from './rule';
import { resolveProto, resolveService, icmpTypeNumber, icmpCodeNumber, unreachCode, userId, groupId } from './names';
import type { ServiceOs } from '../docs/services';
import type { Context } from './context';
import { parseAltq, parseFreeBSDQueue, type TokenSource } from './altq';

class SyntaxError_ extends Error {
  constructor(public line: number, message = 'syntax error') {
    super(message);
  }
}

const ACTIONS = new Set(['pass', 'block', 'match']);
/** FreeBSD's rule kinds besides filter rules (each prints in its own ruleset). */
const TRANSLATIONS = new Set(['nat', 'rdr', 'binat', 'scrub']);

const TIMEOUTS = new Set([
  'tcp.first', 'tcp.opening', 'tcp.established', 'tcp.closing', 'tcp.finwait', 'tcp.closed',
  'udp.first', 'udp.single', 'udp.multiple', 'icmp.first', 'icmp.error', 'other.first',
  'other.single', 'other.multiple', 'frag', 'interval', 'src.track', 'adaptive.start', 'adaptive.end',
]);
const LIMITS = new Set(['states', 'frags', 'src-nodes', 'tables', 'table-entries', 'pktdelay-pkts', 'anchors']);


/** How deep includes may nest before the engine stops following them (a cycle, in practice). */
const MAX_INCLUDE_DEPTH = 16;
export class Parser {
  private lx: Lexer;
  private errorLine = 0;

  /** Texts of the files being read, outermost first (this one last): a repeat is a cycle. */
  private readonly reading: string[];

  constructor(private ctx: Context, private file: string, text: string, private depth = 0, outer: string[] = []) {
    this.reading = [...outer, text];
    this.lx = new Lexer(text, ctx.macros);
  }

  private get os(): ServiceOs {
    return this.ctx.dialect === 'freebsd' ? 'freebsd' : 'openbsd';
  }

  private err(line: number, message: string): void {
    this.ctx.error(this.file, line, message);
  }

  private peek(k = 0): Token {
    return this.lx.peek(k);
  }
  private next(): Token {
    return this.lx.next();
  }
  private fail(t?: Token): never {
    throw new SyntaxError_((t ?? this.peek()).line);
  }
  private isWord(t: Token, w?: string): boolean {
    return (t.kind === 'word' || t.kind === 'string') && (w === undefined || t.text === w);
  }
  private isP(t: Token, p: string): boolean {
    return t.kind === 'punct' && t.text === p;
  }
  private accept(w: string): boolean {
    const t = this.peek();
    if ((t.kind === 'word' && t.text === w) || (t.kind === 'punct' && t.text === w)) {
      this.next();
      return true;
    }
    return false;
  }
  private expect(w: string): Token {
    const p = this.peek();
    if (p.kind === 'nl' || p.kind === 'eof') this.fail(p);
    const t = this.next();
    if (t.text !== w || t.kind === 'string') this.fail(t);
    return t;
  }
  private word(): Token {
    const p = this.peek();
    if (p.kind === 'nl' || p.kind === 'eof') this.fail(p);
    const t = this.next();
    if (t.kind !== 'word' && t.kind !== 'string') this.fail(t);
    return t;
  }
  /** A STRING token of pfctl's grammar: an unquoted number lexes as NUMBER instead. */
  private str(): Token {
    const t = this.word();
    if (t.kind === 'word' && /^-?\d+$/.test(t.text)) this.fail(t);
    return t;
  }
  private number(): number {
    const t = this.word();
    if (/^\d+$/.test(t.text)) return Number(t.text);
    if (/^0x[0-9a-f]+$/i.test(t.text)) return parseInt(t.text, 16);
    this.fail(t);
  }
  private skipNl(): void {
    while (this.peek().kind === 'nl') this.next();
  }
  private endOfStatement(): void {
    const t = this.peek();
    if (t.kind === 'nl') {
      this.next();
      return;
    }
    if (t.kind === 'eof' || this.isP(t, '}')) return;
    this.fail(t);
  }

  private counter = { n: 0 };

  parse(out: Statement[], inBrace = false, counter = { n: 0 }): void {
    const saved = this.counter;
    this.counter = counter;
    try {
      this.parseInner(out, inBrace);
    } finally {
      this.counter = saved;
    }
  }

  private parseInner(out: Statement[], inBrace: boolean): void {
    for (;;) {
      this.skipNl();
      const t = this.peek();
      if (t.kind === 'eof') {
        if (inBrace) {
          this.err(t.line, 'syntax error');
        }
        break;
      }
      if (inBrace && this.isP(t, '}')) {
        this.next();
        return;
      }
      const start = this.ctx.errorCount;
      try {
        this.statement(out);
      } catch (e) {
        if (!(e instanceof SyntaxError_)) throw e;
        for (const le of this.lx.errors.splice(0)) this.err(le.line, le.message);
        if (e.message) this.err(e.line, e.message);
        // pfctl's yacc recovery: discard the rest of the line
        if (this.peek().kind !== 'nl') this.lx.skipLine();
      }
      for (const le of this.lx.errors.splice(0)) this.err(le.line, le.message);
      void start;
    }
    for (const le of this.lx.errors.splice(0)) this.err(le.line, le.message);
  }

  private statement(out: Statement[]): void {
    const t = this.peek();
    const t1 = this.peek(1);
    if ((t.kind === 'word') && this.isP(t1, '=') ) {
      this.macroDef();
      return;
    }
    if (t.kind !== 'word') this.fail(t);
    switch (t.text) {
      case 'set':
        this.setOption();
        return;
      case 'table':
        this.table();
        return;
      case 'include':
        this.include(out);
        return;
      case 'antispoof':
        this.antispoof(out);
        return;
      case 'anchor':
        this.anchorRule(out);
        return;
      case 'load':
        this.loadAnchor();
        return;
      case 'queue':
        this.queue();
        return;
    }
    if (this.ctx.dialect === 'freebsd') {
      if (TRANSLATIONS.has(t.text) || (t.text === 'no' && this.isWord(this.peek(1)) && TRANSLATIONS.has(this.peek(1).text))) {
        this.translation(out);
        return;
      }
      const m = /^(nat|rdr|binat|scrub)-anchor$/.exec(t.text);
      if (m) {
        this.anchorRule(out, m[1] as RuleSpec['anchorType']);
        return;
      }
      if (t.text === 'altq') {
        this.altq();
        return;
      }
    }
    if (ACTIONS.has(t.text)) {
      const r = this.rule();
      if (r) this.push(out, r, this.ruleEnd);
      return;
    }
    this.fail(t);
  }

  /** Line of the last token of the rule just read. */
  private ruleEnd = 0;

  /** `end`: the rule's last line, where pfctl reports checks of the whole rule. */
  private push(out: Statement[], r: RuleSpec, end = r.line): void {
    if (r.flags && !r.flagsAny && r.protos.length && !r.protos.includes(6)) {
      this.err(r.line, 'flags only apply to tcp');
      return;
    }
    if (r.action === 'anchor' && r.state) {
      this.err(r.line, 'cannot specify state handling on anchors');
      return;
    }
    const ruleErr = ruleError(r);
    if (ruleErr) {
      this.err(end, ruleErr);
      return;
    }
    const undef = this.ctx.dialect === 'openbsd' && r.setQueue?.find((q) => !this.ctx.queues.has(q));
    if (undef) {
      this.err(r.line, `queue ${undef} is not defined`);
      return;
    }
    if (r.tag !== undefined && r.tag.length > 63) {
      this.err(end, 'tag too long, max 63 chars');
      return;
    }
    if (r.tagged !== undefined && r.tagged.name.length > 63) {
      this.err(end, 'tag too long, max 63 chars');
      return;
    }
    for (const p of [...r.fromPorts, ...r.toPorts]) {
      for (const v of [p.a, p.b]) {
        if (v !== undefined && v > 65535) {
          this.err(r.line, `illegal port value ${v}`);
          return;
        }
      }
    }
    out.push({ kind: 'rule', rule: r, expanded: this.ctx.expand(r, this.file, this.counter) });
  }

  private macroDef(): void {
    const name = this.next();
    this.next(); // =
    const parts: string[] = [];
    while (this.peek().kind === 'word' || this.peek().kind === 'string') parts.push(this.next().text);
    if (parts.length === 0) this.fail();
    if (this.peek().kind !== 'nl' && this.peek().kind !== 'eof') this.fail();
    const value = parts.join(' ');
    if (!this.ctx.defines.has(name.text)) this.ctx.macros.set(name.text, value);
    this.ctx.print(`${name.text} = "${value}"`);
    this.endOfStatement();
  }

  private include(out: Statement[]): void {
    const kw = this.next();
    const f = this.word();
    this.endOfStatement();
    // pfctl keeps no list of open files; a cycle of includes would recurse without end.
    if (this.depth >= MAX_INCLUDE_DEPTH) {
      this.err(kw.line, `include nested more than ${MAX_INCLUDE_DEPTH} levels deep: ${f.text}`);
      return;
    }
    const text = this.ctx.readFile?.(f.text);
    if (text === undefined) {
      this.err(kw.line, `cannot open the main config file!`);
      return;
    }
    if (this.reading.includes(text)) {
      this.err(kw.line, `include cycle: ${f.text} is already being read`);
      return;
    }
    const sub = new Parser(this.ctx, f.text, text, this.depth + 1, this.reading);
    sub.parse(out);
  }

  private loadAnchor(): void {
    const kw = this.next();
    if (!this.accept('anchor')) this.fail();
    const name = this.word().text;
    if (!this.accept('from')) this.fail();
    const file = this.word().text;
    this.endOfStatement();
    this.ctx.loads.push({ anchor: name, file, line: kw.line });
  }

  private queue(): void {
    const kw = this.next();
    if (this.ctx.dialect !== 'freebsd') {
      this.ctx.queues.parse(this.tokens(), kw.line);
      this.endOfStatement();
      return;
    }
    const def = parseFreeBSDQueue(this.tokens(), kw.line);
    this.endOfStatement();
    if (!this.ctx.anchor) this.ctx.altq.addQueue(this.file, def);
  }

  // ---------------------------------------------------------------- set
  private setOption(): void {
    this.next();
    const opt = this.word();
    // options pfctl hands to its pfctl_set_* functions are dropped unseen under -a
    const main = !this.ctx.anchor;
    const p = (s: string) => {
      if (main || ['block-policy', 'state-policy', 'fingerprints', 'state-defaults'].includes(opt.text)) this.ctx.print(s);
    };
    switch (opt.text) {
      case 'optimization': {
        const v = this.word().text;
        if (!['normal', 'satellite', 'high-latency', 'conservative', 'aggressive'].includes(v)) this.fail();
        p(`set optimization ${v}`);
        break;
      }
      case 'timeout': {
        const one = () => {
          const k = this.word();
          if (!TIMEOUTS.has(k.text)) {
            if (main) this.err(k.line, `unknown timeout ${k.text}`);
            this.number();
            return;
          }
          const v = this.number();
          p(`set timeout ${k.text} ${v}`);
        };
        if (this.accept('{')) {
          this.skipNl();
          while (!this.accept('}')) {
            one();
            this.accept(',');
            this.skipNl();
          }
        } else one();
        break;
      }
      case 'limit': {
        const one = () => {
          const k = this.word();
          if (!LIMITS.has(k.text)) this.fail(k);
          const v = this.number();
          p(`set limit ${k.text} ${v}`);
        };
        if (this.accept('{')) {
          this.skipNl();
          while (!this.accept('}')) {
            one();
            this.accept(',');
            this.skipNl();
          }
        } else one();
        break;
      }
      case 'loginterface':
        p(`set loginterface ${this.word().text}`);
        break;
      case 'hostid': {
        const v = this.number();
        if (v === 0) {
          this.err(opt.line, 'hostid must be non-zero');
          break;
        }
        p(`set hostid 0x${v.toString(16).padStart(8, '0')}`);
        break;
      }
      case 'block-policy': {
        const v = this.word().text;
        if (v !== 'drop' && v !== 'return') this.fail();
        this.ctx.blockPolicy = v;
        p(`set block-policy ${v}`);
        break;
      }
      case 'reassemble': {
        const v = this.word().text;
        if (v !== 'yes' && v !== 'no') this.fail();
        const nodf = this.accept('no-df');
        p(`set reassemble ${v} ${nodf ? 'no-df' : ''}`);
        break;
      }
      case 'state-policy': {
        const v = this.word().text;
        p(`set state-policy ${v}`);
        break;
      }
      case 'fingerprints': {
        const v = this.word().text;
        p(`set fingerprints "${v}"`);
        break;
      }
      case 'skip': {
        this.expect('on');
        const names: string[] = [];
        if (this.accept('{')) {
          while (!this.accept('}')) {
            const w = this.word().text;
            names.push(w);
            this.accept(',');
          }
        } else names.push(this.word().text);
        for (const n of names) p(`set skip on ${n}`);
        break;
      }
      case 'debug': {
        const v = this.word().text;
        p(`set debug ${v}`);
        break;
      }
      case 'state-defaults': {
        const opts = this.stateOpts();
        p(`set state-defaults ${opts.map((o) => (o.value === undefined ? o.key : `${o.key} ${o.value}`)).join(', ')}`);
        break;
      }
      case 'ruleset-optimization':
      case 'keepcounters':
      case 'syncookies':
      default:
        this.fail(opt);
    }
    this.endOfStatement();
  }

  // ---------------------------------------------------------------- tables
  private table(): void {
    const kw = this.next();
    this.expect('<');
    const name = this.word().text;
    this.expect('>');
    let persist = false;
    let konst = false;
    let counters = false;
    const entries: string[] = [];
    const files: string[] = [];
    const chunks: string[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isWord(t, 'persist')) {
        this.next();
        persist = true;
      } else if (this.isWord(t, 'const')) {
        this.next();
        konst = true;
      } else if (this.isWord(t, 'counters')) {
        this.next();
        counters = true;
      } else if (this.isWord(t, 'file')) {
        this.next();
        const f = this.word().text;
        files.push(f);
        chunks.push(`file "${f}"`);
      } else if (this.isP(t, '{')) {
        this.next();
        const list: string[] = [];
        let bad: string | undefined;
        for (;;) {
          this.skipNl();
          const close = this.peek();
          if (this.accept('}')) {
            // what a table cannot hold is refused once the list is read
            if (bad) throw new SyntaxError_(close.line, bad);
            break;
          }
          if (this.accept(',')) continue;
          const e = this.tableEntry();
          if (typeof e === 'string') bad ??= e;
          else list.push(...e);
        }
        entries.push(...list);
        if (chunks.length && chunks[chunks.length - 1].startsWith('{')) {
          const prev = chunks.pop()!;
          chunks.push(prev.slice(0, -2) + (list.length ? ' ' + list.join(' ') : '') + ' }');
        } else chunks.push(`{ ${list.join(' ')} }`);
      } else break;
    }
    const end = this.peek().line;
    this.endOfStatement();
    // pfctl reads the table's files even with -n
    for (const f of files) {
      if (f === '/dev/null' || !this.ctx.checkTableFiles || this.ctx.readFile?.(f) !== undefined) continue;
      this.err(end, `cannot load "${f}": No such file or directory`);
      return;
    }
    // `pfctl -n` accepts a table declared twice (its regress test pfsimple2), so no error here.
    this.ctx.tables.add(name);
    let flags = '';
    if (persist) flags += ' persist';
    if (konst) flags += ' const';
    if (counters) flags += ' counters';
    // pfctl prints all inline addresses in one block, then files
    let s = `table <${name}>${flags}`;
    for (const c of chunks) if (c !== '{  }') s += ` ${c}`;
    void files;
    this.ctx.print(s);
  }

  /**
   * One entry of a table's `{ … }`: its printed addresses, or the reason pfctl refuses
   * it (entries are read with the host grammar of rules, then checked).
   */
  private tableEntry(): string[] | string {
    let neg = false;
    if (this.accept('!')) neg = true;
    const p = this.peek();
    if (this.isP(p, '<')) {
      this.next();
      this.word();
      this.expect('>');
      return 'tables cannot contain tables';
    }
    if (this.isP(p, '(')) {
      this.host(p.line);
      return 'dynamic addresses are not permitted inside tables';
    }
    const t = this.word();
    let text = t.text;
    if (t.kind === 'word' && (text === 'no-route' || text === 'urpf-failed')) return `"${text}" is not permitted inside tables`;
    if (t.kind === 'word' && text === 'any') this.fail(t);
    let bits: number | undefined;
    if (this.accept('/')) bits = this.number();
    const bang = neg ? '!' : '';
    const addr = this.hostWord(text, bits, t.line);
    if (addr === undefined) {
      if (/^[\d:]/.test(text)) {
        // an address-like word that is no address: pfctl's host parser gives up on the table
        this.ctx.report(`no IP address found for ${text}`);
        throw new SyntaxError_(t.line, 'could not parse host specification');
      }
      this.err(t.line, `cannot resolve ${text}`);
      return [];
    }
    return addr.map((h) => bang + h);
  }

  /** Turns a host word (address, interface, hostname) into printed addresses (for tables). */
  private hostWord(text: string, bits: number | undefined, line: number): string[] | undefined {
    const spec = this.hostItem(text, bits, false, line);
    const hosts = this.ctx.resolveHost(spec, undefined);
    if (!hosts) return undefined;
    return hosts.map((h) => this.ctx.formatHostPlain(h));
  }

  // ---------------------------------------------------------------- antispoof
  private antispoof(out: Statement[]): void {
    const kw = this.next();
    let log: string[] | undefined;
    let quick = false;
    for (;;) {
      if (this.isWord(this.peek(), 'log')) {
        this.next();
        log = this.logOpts();
      } else if (this.accept('quick')) quick = true;
      else break;
    }
    this.expect('for');
    const ifs: { name: string; dyn: boolean }[] = [];
    const one = () => {
      if (this.accept('(')) {
        ifs.push({ name: this.word().text, dyn: true });
        this.expect(')');
      } else ifs.push({ name: this.word().text, dyn: false });
    };
    if (this.accept('{')) {
      while (!this.accept('}')) {
        one();
        this.accept(',');
      }
    } else one();
    let af: Af | undefined;
    if (this.accept('inet')) af = 'inet';
    else if (this.accept('inet6')) af = 'inet6';
    let label: string | undefined;
    if (this.accept('label')) label = this.str().text;
    this.endOfStatement();
    for (const i of ifs) {
      const base = (): RuleSpec => ({
        line: kw.line, action: 'block', quick, log, ifs: [{ name: i.name, neg: true }], dir: 'in',
        protos: [], protoNames: [], from: [], fromPorts: [], to: [{ kind: 'any', neg: false }], toPorts: [],
        users: [], groups: [], icmp: [], extra: [], antispoof: true, label, af,
        ret: { kind: this.ctx.blockPolicy },
      });
      if (i.dyn) {
        const r = base();
        r.from = [{ kind: 'dynamic', neg: false, name: `${i.name}:network` }];
        this.push(out, r);
      } else {
        const r = base();
        r.from = [{ kind: 'ifname', neg: false, name: `${i.name}:network` }];
        this.push(out, r);
      }
    }
  }

  // ---------------------------------------------------------------- anchors
  private anchorRule(out: Statement[], anchorType?: RuleSpec['anchorType']): void {
    const kw = this.next();
    let name = '';
    const t = this.peek();
    if (t.kind === 'string' || (t.kind === 'word' && !['in', 'out', 'on', 'inet', 'inet6', 'proto', 'from', 'to', 'all', 'quick'].includes(t.text))) {
      name = this.next().text;
    }
    const r = this.ruleBody(kw.line, 'anchor');
    r.anchorName = name;
    r.anchorType = anchorType;
    if (this.peek().kind === 'nl' && this.isP(this.peek(1), '{')) this.next();
    if (this.isP(this.peek(), '{')) {
      this.next();
      const body: Statement[] = [];
      this.parse(body, true, { n: 0 });
      r.anchorBody = body;
      // after the closing brace the line must end
      if (this.peek().kind === 'nl') this.next();
    } else if (name === '') {
      this.fail();
    } else this.endOfStatement();
    this.push(out, r);
  }

  // ---------------------------------------------------------------- FreeBSD nat / rdr / binat / scrub
  /** `[no] nat|rdr|binat [pass [log]] … [-> pool]` and `[no] scrub …`. */
  private translation(out: Statement[]): void {
    const kw = this.next();
    const no = kw.text === 'no';
    const action = (no ? this.next().text : kw.text) as 'nat' | 'rdr' | 'binat' | 'scrub';
    const natPass = action !== 'scrub' && !no && this.accept('pass');
    const r = this.ruleBody(kw.line, action);
    r.no = no || undefined;
    r.natPass = natPass || undefined;
    if (action !== 'scrub') {
      const arrow = this.arrow();
      if (no && arrow) {
        this.err(kw.line, "translation rule with 'no' does not need '->'");
        throw new SyntaxError_(kw.line, 'syntax error');
      }
      if (!no && !arrow) this.err(kw.line, "translation rule requires '-> address'");
      if (arrow) r.pool = this.redirect();
    }
    this.endOfStatement();
    if (!no && !r.pool && action !== 'scrub') return;
    this.push(out, r);
  }

  /** Consumes `->` (lexed as the word `-` and the punctuation `>`). */
  private arrow(): boolean {
    if (!this.isArrow()) return false;
    this.next();
    this.next();
    return true;
  }

  private isArrow(): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text === '-' && this.isP(this.peek(1), '>');
  }

  /** FreeBSD `altq on IF sched bandwidth B … queue { … }`. */
  private altq(): void {
    const kw = this.next();
    const def = parseAltq(this.tokens(), kw.line);
    this.endOfStatement();
    // under -a pfctl reads altq statements but does not expand them
    if (!this.ctx.anchor) this.ctx.altq.addAltq(this.file, def);
  }

  private tokens(): TokenSource {
    return {
      peek: (k) => this.peek(k),
      next: () => this.next(),
      accept: (w) => this.accept(w),
      word: () => this.word(),
      number: () => this.number(),
      fail: (t) => this.fail(t),
      skipNl: () => this.skipNl(),
      err: (line, m) => this.err(line, m),
    };
  }

  // ---------------------------------------------------------------- rules
  private rule(): RuleSpec | undefined {
    const kw = this.next();
    const r = this.ruleBody(kw.line, kw.text as 'pass' | 'block' | 'match');
    this.ruleEnd = this.peek().line;
    this.endOfStatement();
    return r;
  }

  private logOpts(): string[] {
    const opts: string[] = [];
    if (this.accept('(')) {
      while (!this.accept(')')) {
        const w = this.word().text;
        if (w === 'to') opts.push(`to ${this.word().text}`);
        else if (w === 'all' || w === 'matches' || w === 'user') opts.push(w);
        else this.fail();
        this.accept(',');
      }
    }
    const rank = (o: string) => ['all', 'matches', 'user'].indexOf(o) >= 0 ? ['all', 'matches', 'user'].indexOf(o) : 3;
    return opts.sort((a, b) => rank(a) - rank(b));
  }

  private ruleBody(line: number, action: RuleSpec['action']): RuleSpec {
    const r: RuleSpec = {
      line, action, quick: false, ifs: [], protos: [], protoNames: [], from: [], fromPorts: [], to: [], toPorts: [],
      users: [], groups: [], icmp: [], extra: [],
    };
    if (action === 'block') {
      const t = this.peek();
      if (this.isWord(t)) {
        const w = t.text;
        if (w === 'drop') {
          this.next();
          r.ret = { kind: 'drop', explicit: true };
        } else if (w === 'return') {
          this.next();
          r.ret = { kind: 'return', explicit: true };
        } else if (w === 'return-rst') {
          this.next();
          r.ret = { kind: 'return-rst', explicit: true };
          if (this.accept('(')) {
            this.expect('ttl');
            r.ret.ttl = this.number();
            this.expect(')');
          }
        } else if (w === 'return-icmp' || w === 'return-icmp6') {
          this.next();
          r.ret = { kind: w, explicit: true };
          if (this.accept('(')) {
            const a = this.word();
            const c1 = unreachCode(a.text, w === 'return-icmp6');
            if (c1 === undefined) this.fail(a);
            if (w === 'return-icmp') r.ret.icmp4 = c1;
            else r.ret.icmp6 = c1;
            if (this.accept(',')) {
              const b = this.word();
              const c2 = unreachCode(b.text, true);
              if (c2 === undefined) this.fail(b);
              r.ret.icmp6 = c2;
            }
            this.expect(')');
          }
        }
      }
      if (!r.ret) r.ret = { kind: this.ctx.blockPolicy === 'return' ? 'return' : 'drop' };
    }
    // direction, log, quick, on, af — in pfctl's fixed order
    if (this.accept('in')) r.dir = 'in';
    else if (this.accept('out')) r.dir = 'out';
    for (;;) {
      if (this.isWord(this.peek(), 'log')) {
        this.next();
        r.log = this.logOpts();
      } else if (this.isWord(this.peek(), 'quick')) {
        this.next();
        r.quick = true;
      } else break;
    }
    if (this.accept('on')) {
      const one = () => {
        let neg = false;
        if (this.accept('!')) neg = true;
        const n = this.word().text;
        r.ifs.push({ name: n, neg });
      };
      if (this.accept('{')) {
        while (!this.accept('}')) {
          one();
          this.accept(',');
        }
      } else one();
    }
    if (this.accept('inet')) r.af = 'inet';
    else if (this.accept('inet6')) r.af = 'inet6';
    if (this.accept('proto')) {
      const one = () => {
        const t = this.word();
        const n = resolveProto(t.text, this.os);
        if (n === undefined) {
          this.err(t.line, `unknown protocol ${t.text}`);
          throw new SyntaxError_(t.line);
        }
        r.protos.push(n);
        r.protoNames.push(t.text);
      };
      if (this.accept('{')) {
        while (!this.accept('}')) {
          one();
          this.accept(',');
        }
      } else one();
    }
    // from / to
    if (this.accept('all')) {
      // nothing
    } else {
      if (this.accept('from')) {
        r.from = this.hosts(line);
        if (this.accept('port')) r.fromPorts = this.ports();
        if (this.isWord(this.peek(), 'os')) {
          this.next();
          r.os = this.word().text;
        }
      }
      if (this.accept('to')) {
        r.to = this.hosts(line);
        if (this.accept('port')) r.toPorts = this.ports();
      }
    }
    this.filterOpts(r);
    return r;
  }

  private hosts(line: number, redir = false): HostSpec[] {
    if (this.isWord(this.peek(), 'port') && this.peek().kind === 'word') return [];
    if (this.accept('{')) {
      const out: HostSpec[] = [];
      for (;;) {
        this.skipNl();
        if (this.accept('}')) break;
        if (this.accept(',')) continue;
        out.push(...this.host(line, redir));
      }
      return out;
    }
    return this.host(line, redir);
  }

  /** One host item; `redir`: a translation or routing address (no negation, no keywords). */
  private host(line: number, redir = false): HostSpec[] {
    let neg = false;
    if (redir) {
      const t0 = this.peek();
      if (this.isP(t0, '!') || (t0.kind === 'word' && ['any', 'no-route', 'urpf-failed'].includes(t0.text))) this.fail(t0);
    } else if (this.accept('!')) neg = true;
    const t = this.peek();
    if (this.isP(t, '{')) {
      const list = this.hosts(line);
      if (neg) for (const h of list) h.neg = !h.neg;
      return list;
    }
    if (this.isP(t, '<')) {
      this.next();
      const n = this.word().text;
      this.expect('>');
      return [{ kind: 'table', neg, name: n }];
    }
    if (this.isP(t, '(')) {
      this.next();
      const nt = this.word();
      const n = nt.text;
      // dynamic interfaces need not exist yet, but their names start with a letter
      if (!/^[A-Za-z]/.test(n)) throw new SyntaxError_(nt.line, `invalid interface name '${n}'`);
      this.expect(')');
      let bits: number | undefined;
      if (this.accept('/')) bits = this.number();
      return [{ kind: 'dynamic', neg, name: n, bits }];
    }
    const w = this.word();
    if (w.text === 'any') return [{ kind: 'any', neg }];
    if (w.text === 'no-route') return [{ kind: 'no-route', neg }];
    if (w.text === 'urpf-failed') return [{ kind: 'urpf-failed', neg }];
    if (w.text === 'self') return [{ kind: 'self', neg }];
    if (w.text === 'route' && w.kind === 'word') return [{ kind: 'route', neg, name: this.word().text }];
    if (this.isWord(this.peek(), '-') && this.peek().kind === 'word') {
      this.next();
      const w2 = this.word();
      const a1 = parseAddr(w.text);
      const a2 = parseAddr(w2.text);
      if (!a1 || !a2 || a1.af !== a2.af) this.fail(w2);
      return [{ kind: 'range', neg, addr: a1, addr2: a2, af: a1.af, name: `${w.text} - ${w2.text}` }];
    }
    let bits: number | undefined;
    if (this.accept('/')) bits = this.number();
    const spec = this.hostItem(w.text, bits, neg, w.line);
    // pfctl resolves host words while parsing: a failure drops the rule. Words that could name
    // an interface or host are left to expansion, which reports them with a position (what
    // checks/pfctl-semantic.ts reads to tell host-dependent names apart).
    let bad: string | undefined;
    if (bits !== undefined && bits > 128) bad = `netmask is too large: /${bits}`;
    else if (spec.kind === 'ifname' && /^[\d:]/.test(w.text) && !this.ctx.resolveHost(spec, undefined)) bad = `no IP address found for ${w.text}`;
    if (bad) {
      this.ctx.report(bad);
      throw new SyntaxError_(w.line, 'could not parse host specification');
    }
    return [spec];
  }

  hostItem(text: string, bits: number | undefined, neg: boolean, line: number): HostSpec {
    const a = parseAddr(text, bits !== undefined);
    if (a) {
      const max = a.af === 'inet' ? 32 : 128;
      const pct = text.indexOf('%');
      if (bits === 0) return { kind: 'any', neg, af: a.af };
      return { kind: 'addr', neg, addr: a, bits: bits ?? max, af: a.af, name: text, scope: pct >= 0 ? text.slice(pct + 1) : undefined };
    }
    return { kind: 'ifname', neg, name: text, bits, line };
  }

  private portOne(allowStar = false): PortSpec {
    const t = this.peek();
    const ops = ['=', '!=', '<', '<=', '>', '>='];
    if (t.kind === 'punct' && ops.includes(t.text)) {
      this.next();
      const v = this.portNumber();
      return { op: t.text as PortSpec['op'], a: v.n };
    }
    const w = this.word();
    // range a:b inside a single word
    const colon = w.text.indexOf(':');
    if (colon > 0) {
      const a = this.svc(w.text.slice(0, colon), w.line);
      const bText = w.text.slice(colon + 1);
      if (bText === '*' && allowStar) return { op: ':', a: a.n, b: a.n, star: true };
      const b = this.svc(bText, w.line);
      return { op: ':', a: a.n, b: b.n };
    }
    const a = this.svc(w.text, w.line);
    const u = this.peek();
    if (u.kind === 'punct' && (u.text === '><' || u.text === '<>')) {
      this.next();
      const b = this.portNumber();
      return { op: u.text, a: a.n, b: b.n };
    }
    return { op: '=', a: a.n };
  }

  private svc(text: string, line: number): { n: number } {
    const n = this.ctx.services.get(text) ?? resolveService(text, this.os);
    if (n === undefined) {
      // pfctl's getservice: the rule is dropped with this message alone
      this.err(line, `unknown port ${text}`);
      throw new SyntaxError_(line, '');
    }
    return { n };
  }

  private portNumber(): { n: number } {
    const w = this.word();
    return this.svc(w.text, w.line);
  }

  private ports(): PortSpec[] {
    if (this.accept('{')) {
      const out: PortSpec[] = [];
      for (;;) {
        this.skipNl();
        if (this.accept('}')) break;
        if (this.accept(',')) continue;
        out.push(this.portOne());
      }
      return out;
    }
    return [this.portOne()];
  }

  private idList(kind: 'user' | 'group'): PortSpec[] {
    const one = (): PortSpec => {
      const t = this.peek();
      const ops = ['=', '!=', '<', '<=', '>', '>='];
      const res = (w: Token) => {
        const n = kind === 'user' ? userId(w.text) : groupId(w.text);
        if (n === undefined) {
          this.err(w.line, `unknown ${kind} ${w.text}`);
          throw new SyntaxError_(w.line);
        }
        return n;
      };
      if (t.kind === 'punct' && ops.includes(t.text)) {
        this.next();
        return { op: t.text as PortSpec['op'], a: res(this.word()) };
      }
      const a = res(this.word());
      const u = this.peek();
      if (u.kind === 'punct' && (u.text === '><' || u.text === '<>')) {
        this.next();
        return { op: u.text, a, b: res(this.word()) };
      }
      return { op: '=', a };
    };
    if (this.accept('{')) {
      const out: PortSpec[] = [];
      while (!this.accept('}')) {
        if (this.accept(',')) continue;
        out.push(one());
      }
      return out;
    }
    return [one()];
  }

  private flagBits(s: string, line: number): number {
    const order = 'FSRPAUEW';
    let v = 0;
    for (const ch of s) {
      const i = order.indexOf(ch);
      if (i < 0) {
        this.err(line, 'bad flags');
        throw new SyntaxError_(line);
      }
      v |= 1 << i;
    }
    return v;
  }

  private stateOpts(): StateOpt[] {
    const opts: StateOpt[] = [];
    this.expect('(');
    while (!this.accept(')')) {
      if (this.accept(',')) continue;
      const k = this.word().text;
      if (['no-sync', 'pflow', 'sloppy', 'allow-related'].includes(k)) opts.push({ key: k });
      else if (k === 'source-track') {
        if (this.accept('rule')) opts.push({ key: k, value: 'rule' });
        else if (this.accept('global')) opts.push({ key: k, value: 'global' });
        else opts.push({ key: k });
      } else if (k === 'if-bound' || k === 'floating') opts.push({ key: k });
      else if (['max', 'max-src-states', 'max-src-nodes', 'max-src-conn'].includes(k) || TIMEOUTS.has(k)) {
        opts.push({ key: k, value: String(this.number()) });
      } else if (k === 'max-src-conn-rate') {
        const a = this.number();
        this.expect('/');
        const b = this.number();
        opts.push({ key: k, value: `${a}/${b}` });
      } else if (k === 'overload') {
        this.expect('<');
        const n = this.word().text;
        this.expect('>');
        let v = `<${n}>`;
        if (this.accept('flush')) {
          v += ' flush';
          if (this.accept('global')) v += ' global';
        }
        opts.push({ key: k, value: v });
      } else this.fail();
    }
    const end = this.lx.line;
    const track = opts.find((o) => o.key === 'source-track');
    if (track?.value === 'global' && opts.some((o) => o.key === 'max-src-nodes')) {
      throw new SyntaxError_(end, "'max-src-nodes' is incompatible with 'source-track global'");
    }
    return normalizeStateOpts(opts);
  }

  private redirect(): Redirect {
    const red: Redirect = { hosts: [], list: false, opts: {} };
    if (this.isP(this.peek(), '{')) {
      red.list = true;
      red.hosts = this.hosts(0, true);
    } else {
      red.hosts = this.host(0, true);
    }
    if (this.accept('port')) {
      red.port = this.portOne(true);
    }
    this.poolOpts(red.opts);
    return red;
  }

  private poolOpts(o: PoolOpts): void {
    for (;;) {
      const t = this.peek();
      if (!this.isWord(t)) return;
      switch (t.text) {
        case 'bitmask':
        case 'random':
        case 'round-robin':
        case 'least-states':
          this.next();
          o.type = t.text;
          break;
        case 'source-hash': {
          this.next();
          o.type = 'source-hash';
          const k = this.peek();
          if (this.isWord(k) && /^0x[0-9a-fA-F]{32}$/.test(k.text)) {
            this.next();
            o.key = k.text.toLowerCase();
          } else if (k.kind === 'string' || (this.isWord(k) && !['static-port', 'sticky-address', 'label', 'tag'].includes(k.text) && false)) {
            this.next();
            o.key = k.text;
          } else if (this.isWord(k) && k.kind === 'word' && /^[A-Za-z]\w*$/.test(k.text) && !POOL_FOLLOW.has(k.text)) {
            this.next();
            o.key = '0x' + createHash('md5').update(k.text).digest('hex');
          }
          break;
        }
        case 'sticky-address':
          this.next();
          o.sticky = true;
          break;
        case 'static-port':
          this.next();
          o.staticPort = true;
          break;
        default:
          return;
      }
    }
  }

  private oneDivert(r: RuleSpec, t: Token): void {
    if (r.divertTo || r.divertReply || r.divertPacket !== undefined) throw new SyntaxError_(t.line, 'more than one divert option');
  }

  /** A priority 0–7 (`set prio`, `prio`). */
  private prio(): number {
    const t = this.word();
    if (!PRIO_RANGE.test(t.text)) this.fail(t);
    const n = Number(t.text);
    if (n < 0 || n > 7) throw new SyntaxError_(t.line, 'prio must be 0 - 7');
    return n;
  }

  private filterOpts(r: RuleSpec): void {
    for (;;) {
      const t = this.peek();
      if (t.kind === 'nl' || t.kind === 'eof' || this.isP(t, '{') || this.isP(t, '}') || this.isArrow()) return;
      if (this.isP(t, '!') && this.isWord(this.peek(1), 'tagged')) {
        this.next();
        this.next();
        r.tagged = { name: this.str().text, neg: true };
        continue;
      }
      if (!this.isWord(t)) this.fail(t);
      this.next();
      switch (t.text) {
        case 'user':
          r.users = [...this.idList('user').reverse(), ...r.users];
          break;
        case 'group':
          r.groups = [...this.idList('group').reverse(), ...r.groups];
          break;
        case 'flags': {
          if (this.accept('any')) {
            r.flags = { set: 0, mask: 0 };
            r.flagsAny = true;
            break;
          }
          let set = 0;
          if (!this.isP(this.peek(), '/')) set = this.flagBits(this.word().text, t.line);
          this.expect('/');
          const mask = this.flagBits(this.word().text, t.line);
          r.flags = { set, mask };
          break;
        }
        case 'icmp-type':
        case 'icmp6-type': {
          const v6 = t.text === 'icmp6-type';
          const one = () => {
            const ty = this.word();
            const n = icmpTypeNumber(ty.text, v6);
            if (n === undefined) {
              this.err(ty.line, `unknown icmp${v6 ? '6' : ''}-type ${ty.text}`);
              throw new SyntaxError_(ty.line);
            }
            let code: number | undefined;
            if (this.accept('code')) {
              const c = this.word();
              code = icmpCodeNumber(c.text, v6, n);
              if (code === undefined) {
                this.err(c.line, `unknown icmp-code ${c.text}`);
                throw new SyntaxError_(c.line);
              }
            }
            r.icmp.push({ v6, type: n, code });
          };
          if (this.accept('{')) {
            while (!this.accept('}')) {
              if (this.accept(',')) continue;
              one();
            }
          } else one();
          break;
        }
        case 'tos': {
          const w = this.word().text;
          const n = tosValue(w);
          if (n === undefined) this.fail(t);
          r.tos = n;
          break;
        }
        case 'no':
          this.expect('state');
          r.state = { kind: 'no', opts: [] };
          break;
        case 'keep':
        case 'modulate':
        case 'synproxy':
          this.expect('state');
          r.state = { kind: t.text, opts: this.isP(this.peek(), '(') ? this.stateOpts() : [] };
          break;
        case 'fragment':
          if (r.action === 'scrub') {
            // FreeBSD keeps only `fragment reassemble`; crop and drop-ovl are still accepted
            if (!this.accept('reassemble') && !this.accept('crop') && !this.accept('drop-ovl')) this.fail();
          } else r.fragment = true;
          break;
        case 'no-df':
        case 'random-id':
        case 'min-ttl':
        case 'max-mss':
        case 'set-tos':
        case 'reassemble': {
          if (r.action !== 'scrub') this.fail(t);
          const s: ScrubOpts = (r.scrub ??= {});
          if (t.text === 'no-df') s.noDf = true;
          else if (t.text === 'random-id') s.randomId = true;
          else if (t.text === 'min-ttl') s.minTtl = this.number();
          else if (t.text === 'max-mss') s.maxMss = this.number();
          else if (t.text === 'reassemble') {
            this.expect('tcp');
            s.reassembleTcp = true;
          } else {
            const n = tosValue(this.word().text);
            if (n === undefined) this.fail(t);
            s.setTos = n;
          }
          break;
        }
        case 'queue': {
          if (this.ctx.dialect !== 'freebsd') this.fail(t);
          if (this.accept('(')) {
            const a = this.word().text;
            this.accept(',');
            const b = this.isP(this.peek(), ')') ? undefined : this.word().text;
            this.expect(')');
            r.setQueue = b === undefined ? [a] : [a, b];
          } else r.setQueue = [this.word().text];
          break;
        }
        case 'allow-opts':
          r.allowOpts = true;
          break;
        case 'label':
          r.label = this.str().text;
          break;
        case 'tag':
          r.tag = this.str().text;
          break;
        case 'tagged':
          r.tagged = { name: this.str().text, neg: false };
          break;
        case 'once':
          r.once = true;
          break;
        case 'probability': {
          const w = this.word().text;
          let p: number;
          if (w.endsWith('%')) p = Number(w.slice(0, -1)) / 100;
          else p = Number(w);
          r.probability = formatProbability(p);
          break;
        }
        case 'rtable':
          r.rtable = this.number();
          break;
        case 'set': {
          const one = () => {
            const k = this.word().text;
            if (k === 'prio') {
              if (this.accept('(')) {
                const a = this.prio();
                this.accept(',');
                const b = this.prio();
                this.expect(')');
                r.setPrio = [a, b];
              } else r.setPrio = [this.prio()];
            } else if (k === 'tos') {
              const n = tosValue(this.word().text);
              if (n === undefined) this.fail();
              r.setTos = n;
            } else if (k === 'queue') {
              if (this.accept('(')) {
                const a = this.word().text;
                this.accept(',');
                const b = this.word().text;
                this.expect(')');
                r.setQueue = [a, b];
              } else r.setQueue = [this.word().text];
            } else this.fail();
          };
          if (this.accept('(')) {
            while (!this.accept(')')) {
              if (this.accept(',')) continue;
              one();
            }
          } else one();
          break;
        }
        case 'scrub': {
          const s: ScrubOpts = r.scrub ?? {};
          this.expect('(');
          const seen = new Set<string>();
          while (!this.accept(')')) {
            if (this.accept(',')) continue;
            const w = this.word();
            const k = w.text;
            if (seen.has(k)) throw new SyntaxError_(w.line, `${k} cannot be respecified`);
            seen.add(k);
            const limited = (max: number) => {
              const v = this.number();
              if (v > max) throw new SyntaxError_(w.line, `illegal ${k} value ${v}`);
              return v;
            };
            if (k === 'no-df') s.noDf = true;
            else if (k === 'min-ttl') s.minTtl = limited(255);
            else if (k === 'max-mss') s.maxMss = limited(65535);
            else if (k === 'random-id') s.randomId = true;
            else if (k === 'reassemble') {
              this.expect('tcp');
              s.reassembleTcp = true;
            } else this.fail();
          }
          r.scrub = s;
          break;
        }
        case 'nat-to':
          r.nat = this.redirect();
          break;
        case 'rdr-to':
          r.rdr = this.redirect();
          break;
        case 'binat-to':
          r.binat = this.redirect();
          break;
        case 'route-to':
        case 'reply-to':
        case 'dup-to':
          r.route = { kind: t.text, pool: this.redirect() };
          break;
        case 'af-to': {
          const a = this.word();
          if (a.kind !== 'word' || (a.text !== 'inet' && a.text !== 'inet6')) this.fail(a);
          this.expect('from');
          const from = this.redirect();
          const to = this.accept('to') ? this.redirect() : undefined;
          r.afTo = { af: a.text, from, to };
          break;
        }
        case 'divert-to': {
          this.oneDivert(r, t);
          const h = this.word().text;
          this.expect('port');
          const p = this.portNumber();
          r.divertTo = { host: h, port: p.n };
          break;
        }
        case 'divert-reply':
          this.oneDivert(r, t);
          r.divertReply = true;
          break;
        case 'divert-packet':
          this.oneDivert(r, t);
          this.expect('port');
          r.divertPacket = this.portNumber().n;
          break;
        case 'max-pkt-rate': {
          const a = this.number();
          this.expect('/');
          const b = this.number();
          r.maxPktRate = `${a}/${b}`;
          break;
        }
        case 'prio':
          r.prio = [this.prio()];
          break;
        case 'received-on':
          r.rcvIf = this.word().text;
          break;
        default:
          this.fail(t);
      }
    }
  }
}

/** pfctl's checks of a whole rule that need no expansion (the first failing one). */
function ruleError(r: RuleSpec): string | undefined {
  if (r.flags && !r.flagsAny && r.flags.set & ~r.flags.mask) return 'flags always false';
  // af-to replaces routing: inbound only, and no route-to / reply-to / dup-to
  if (r.afTo && r.dir !== 'in') return 'af-to can only be used with direction in';
  if (r.afTo && r.route) return 'af-to cannot be used together with route-to, reply-to, dup-to';
  if (r.divertTo && r.dir === 'out') return 'divert-to used with outgoing rule';
  if (r.divertReply && r.dir === 'in') return 'divert-reply used with incoming rule';
  const divertAf = r.divertTo && parseAddr(r.divertTo.host)?.af;
  if (divertAf && r.af && divertAf !== r.af) return 'divert-to address family mismatch';
  return undefined;
}

const PRIO_RANGE = /^-?\d+$/;

const POOL_FOLLOW = new Set([
  'to',
  'static-port', 'sticky-address', 'label', 'tag', 'tagged', 'port', 'round-robin', 'random', 'bitmask',
  'least-states', 'keep', 'no', 'modulate', 'synproxy', 'flags', 'allow-opts', 'once', 'rtable', 'set',
]);

const TOS_NAMES: Record<string, number> = {
  lowdelay: 0x10, throughput: 0x08, reliability: 0x04, critical: 0xa0, inetcontrol: 0xc0, netcontrol: 0xe0,
};

function tosValue(w: string): number | undefined {
  if (w in TOS_NAMES) return TOS_NAMES[w];
  if (/^0x[0-9a-f]+$/i.test(w)) return parseInt(w, 16);
  if (/^\d+$/.test(w)) return Number(w);
  return undefined;
}

function formatProbability(p: number): string {
  // pfctl stores the probability as a fraction of UINT_MAX and prints it back as a percentage
  const stored = Math.floor(p * 4294967295);
  const pct = (stored / 4294967295) * 100;
  let s = pct.toFixed(6).replace(/\.?0+$/, '');
  if (s === '') s = '0';
  return `${s}%`;
}

export { parseV4 };

const STATE_ORDER = ['max', 'no-sync', 'pflow', 'source-track', 'max-src-states', 'max-src-nodes', 'max-src-conn', 'max-src-conn-rate', 'overload', 'if-bound', 'floating', 'sloppy', 'allow-related'];

function normalizeStateOpts(opts: StateOpt[]): StateOpt[] {
  const has = (k: string) => opts.find((o) => o.key === k);
  const st = has('source-track');
  if (has('max-src-nodes') || has('max-src-conn') || has('max-src-conn-rate')) {
    if (st) st.value ??= 'rule';
    else opts.push({ key: 'source-track', value: 'rule' });
  } else if (st) st.value ??= 'global';
  const rate = has('max-src-conn-rate');
  if (rate && !has('src.track')) opts.push({ key: 'src.track', value: rate.value!.split('/')[1] });
  const rank = (o: StateOpt) => {
    const i = STATE_ORDER.indexOf(o.key);
    if (i >= 0) return i;
    if (o.key === 'src.track') return 200;
    if (o.key.startsWith('adaptive')) return 300;
    return 100;
  };
  return opts.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map((x) => x.o);
}
