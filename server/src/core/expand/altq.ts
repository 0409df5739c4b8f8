/**
 * Queueing: FreeBSD's ALTQ (`altq on IF sched …` plus `queue NAME …` with
 * cbq/priq/hfsc/fairq/codel options) and OpenBSD's HFSC queues
 * (`queue NAME on IF|parent P bandwidth …`). Parsing, pfctl's checks and
 * the lines `pfctl -nv` prints for them.
 *
 * Assumptions where pfctl asks the kernel: every interface has an MTU of
 * 1500 (tbrsize), and no interface reports its link speed, so a bandwidth
 * given in percent on `altq on` is reported the way pfctl reports an
 * interface without a known speed.
 */
import type { Token } from './lexer';

export interface TokenSource {
  peek(k?: number): Token;
  next(): Token;
  accept(w: string): boolean;
  word(): Token;
  number(): number;
  fail(t?: Token): never;
  skipNl(): void;
  err(line: number, message: string): void;
}

type Sched = 'cbq' | 'priq' | 'hfsc' | 'fairq' | 'codel';

/** A bandwidth as written: bits per second or a percentage. */
interface Bw {
  abs?: number;
  pct?: number;
}

interface Curve {
  m1?: Bw;
  d?: number;
  m2: Bw;
}

interface SchedOpts {
  type: Sched;
  flags: string[];
  realtime?: Curve;
  linkshare?: Curve;
  upperlimit?: Curve;
}

export interface QueueDef {
  line: number;
  name?: string;
  ifs: string[];
  bw?: Bw;
  priority?: number;
  qlimit?: number;
  tbrsize?: number;
  sched?: SchedOpts;
  children: string[];
}

const DEFAULT_PRIORITY = 1;
const DEFAULT_QLIMIT = 50;
const MTU = 1500;

/** FreeBSD's flag bits as each scheduler prints them, in print order (`ecn` implies `red`). */
const FLAG_ORDER: Record<Sched, string[]> = {
  cbq: ['red', 'ecn', 'rio', 'codel', 'cleardscp', 'flowvalve', 'borrow', 'wrr', 'efficient', 'root', 'default'],
  priq: ['red', 'ecn', 'rio', 'codel', 'cleardscp', 'default'],
  hfsc: ['red', 'ecn', 'rio', 'codel', 'cleardscp', 'default'],
  fairq: ['red', 'ecn', 'rio', 'codel', 'cleardscp', 'default'],
  codel: [],
};

function parseBw(text: string): Bw | undefined {
  const m = /^(\d+(?:\.\d+)?)(b|Kb|Mb|Gb|%)?$/.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  if (m[2] === '%') return { pct: Math.floor(v) };
  const mult = { b: 1, Kb: 1e3, Mb: 1e6, Gb: 1e9 }[m[2] ?? 'b'] ?? 1;
  return { abs: Math.floor(v * mult) };
}

/** pfctl's rate2str: 1500000 → `1.50Mb`, 100000 → `100Kb`. */
export function rate2str(rate: number): string {
  const unit = ' KMG';
  let i = 0;
  for (; rate >= 1000 && i <= 3; i++) rate /= 1000;
  const u = unit[i] === ' ' ? '' : unit[i];
  if (Math.floor(rate * 100) % 100) return `${rate.toFixed(2)}${u}b`;
  return `${Math.floor(rate)}${u}b`;
}

function bwWord(ts: TokenSource): Bw {
  const t = ts.word();
  const bw = parseBw(t.text);
  if (!bw) {
    ts.err(t.line, `unknown unit ${t.text}`);
    ts.fail(t);
  }
  return bw;
}

function curve(ts: TokenSource): Curve {
  if (ts.accept('(')) {
    const m1 = bwWord(ts);
    const d = ts.number();
    ts.accept(',');
    const m2 = bwWord(ts);
    if (!ts.accept(')')) ts.fail();
    return { m1, d, m2 };
  }
  return { m2: bwWord(ts) };
}

function schedOpts(ts: TokenSource, type: Sched): SchedOpts {
  const o: SchedOpts = { type, flags: [] };
  if (!ts.accept('(')) return o;
  while (!ts.accept(')')) {
    if (ts.accept(',')) continue;
    const t = ts.word();
    if (type === 'hfsc' && (t.text === 'realtime' || t.text === 'linkshare' || t.text === 'upperlimit')) {
      o[t.text] = curve(ts);
    } else if (type === 'codel' || !FLAG_ORDER[type].includes(t.text) || ['wrr', 'efficient', 'root', 'flowvalve'].includes(t.text)) {
      ts.err(t.line, `unknown ${type} flag "${t.text}"`);
      ts.fail(t);
    } else {
      if (t.text === 'ecn') o.flags.push('red');
      o.flags.push(t.text);
    }
  }
  return o;
}

function nameList(ts: TokenSource): string[] {
  if (!ts.accept('{')) return [ts.word().text];
  const out: string[] = [];
  for (;;) {
    ts.skipNl();
    if (ts.accept('}')) return out;
    if (ts.accept(',')) continue;
    out.push(ts.word().text);
  }
}

/** Parses what follows `altq` or `queue NAME` (FreeBSD). */
function parseDef(ts: TokenSource, line: number, isAltq: boolean): QueueDef {
  const def: QueueDef = { line, ifs: [], children: [] };
  if (!isAltq) def.name = ts.word().text;
  if (ts.accept('on')) def.ifs = nameList(ts);
  else if (isAltq) ts.fail();
  for (;;) {
    const t = ts.peek();
    if (t.kind !== 'word') break;
    if (t.text === 'bandwidth') {
      ts.next();
      def.bw = bwWord(ts);
    } else if (t.text === 'priority') {
      ts.next();
      def.priority = ts.number();
    } else if (t.text === 'qlimit') {
      ts.next();
      def.qlimit = ts.number();
    } else if (t.text === 'tbrsize' && isAltq) {
      ts.next();
      def.tbrsize = ts.number();
    } else if (['cbq', 'priq', 'hfsc', 'fairq', 'codel'].includes(t.text)) {
      ts.next();
      def.sched = schedOpts(ts, t.text as Sched);
    } else break;
  }
  if (isAltq) {
    if (!ts.accept('queue')) ts.fail();
    def.children = nameList(ts);
  } else if (ts.peek().kind === 'word' || (ts.peek().kind === 'punct' && ts.peek().text === '{')) {
    def.children = nameList(ts);
  }
  return def;
}

export function parseAltq(ts: TokenSource, line: number): QueueDef {
  return parseDef(ts, line, true);
}

export function parseFreeBSDQueue(ts: TokenSource, line: number): QueueDef {
  return parseDef(ts, line, false);
}

interface AltqIf {
  ifname: string;
  sched: Sched;
  bandwidth: number;
  defaults: number;
  prios: Set<number>;
}

interface QueueNode {
  name: string;
  ifname: string;
  parent?: QueueNode;
  sched: Sched;
  bandwidth: number;
  childSum: number;
  isDefault: boolean;
}

/** FreeBSD ALTQ state of one run: interfaces with a scheduler and the queues on them. */
export class Altq {
  private ifs = new Map<string, AltqIf>();
  /** Queue names announced by an `altq … queue {}` or a parent's `{}`, not yet defined. */
  private pending: { name: string; ifname: string; parent?: QueueNode }[] = [];
  private queues: QueueNode[] = [];
  readonly warnings: string[] = [];

  constructor(
    private print: (line: string) => void,
    private error: (file: string, line: number, message: string) => void,
    private fatal: (message: string) => void,
  ) {}

  addAltq(file: string, def: QueueDef): void {
    const sched = def.sched?.type;
    if (!sched) {
      this.error(file, def.line, 'no scheduler specified!');
      return;
    }
    for (const ifname of def.ifs) {
      let bandwidth = def.bw?.abs;
      if (bandwidth === undefined) {
        this.fatal(`interface ${ifname} does not know its bandwidth, please specify an absolute bandwidth`);
        continue;
      }
      if (sched !== 'hfsc' && bandwidth > 0xffffffff) bandwidth = 0xffffffff;
      const tbr = def.tbrsize ?? tbrSize(bandwidth);
      this.ifs.set(ifname, { ifname, sched, bandwidth, defaults: 0, prios: new Set() });
      const root: QueueNode | undefined =
        sched === 'cbq' || sched === 'hfsc' || sched === 'fairq'
          ? { name: `root_${ifname}`, ifname, sched, bandwidth, childSum: 0, isDefault: false }
          : undefined;
      let s = `altq on ${ifname} `;
      s += schedText(def.sched!, bandwidth) || `${sched} `;
      if (def.bw?.pct !== undefined) {
        if (def.bw.pct < 100) s += `bandwidth ${def.bw.pct}% `;
      } else s += `bandwidth ${rate2str(bandwidth)} `;
      if (def.qlimit !== undefined && def.qlimit !== DEFAULT_QLIMIT) s += `qlimit ${def.qlimit} `;
      s += `tbrsize ${tbr} `;
      if (def.children.length) s += `queue { ${def.children.map((c) => `${c} `).join('')}}`;
      this.print(s);
      for (const c of def.children) this.pending.push({ name: c, ifname, parent: root });
    }
  }

  addQueue(file: string, def: QueueDef): void {
    const name = def.name!;
    const slots = this.pending.filter((p) => p.name === name && (def.ifs.length === 0 || def.ifs.includes(p.ifname)));
    if (slots.length === 0) {
      this.error(file, def.line, `queue ${name} has no parent`);
      return;
    }
    let printed = false;
    for (const slot of slots) {
      const ai = this.ifs.get(slot.ifname);
      if (!ai) continue;
      if (def.sched && def.sched.type !== ai.sched) {
        this.error(file, def.line, 'exactly one scheduler type per interface allowed');
        return;
      }
      if (ai.sched === 'priq') {
        if (def.children.length) return this.error(file, def.line, 'priq queues cannot have child queues');
        if (def.bw && (def.bw.abs !== undefined || (def.bw.pct ?? 100) < 100)) return this.error(file, def.line, "priq doesn't take bandwidth");
      }
      const parent = slot.parent;
      const ref = parent ? parent.bandwidth : ai.bandwidth;
      const bw = def.bw ?? { pct: 100 };
      const bandwidth = bw.abs !== undefined ? Math.min(bw.abs, ref) : Math.floor(ref / 100) * (bw.pct ?? 0);
      const node: QueueNode = { name, ifname: ai.ifname, parent, sched: ai.sched, bandwidth, childSum: 0, isDefault: !!def.sched?.flags.includes('default') };
      if (!this.checkQueue(node, def, ai)) continue;
      this.queues.push(node);
      for (const c of def.children) this.pending.push({ name: c, ifname: ai.ifname, parent: node });
      if (!printed || def.ifs.length) {
        printed = true;
        this.print(queueLine(def, ai.sched, bandwidth));
      }
    }
    this.pending = this.pending.filter((p) => !slots.includes(p));
  }

  /** pfctl's eval_pfqueue checks; false when the queue is rejected. */
  private checkQueue(q: QueueNode, def: QueueDef, ai: AltqIf): boolean {
    if (this.queues.some((x) => x.name === q.name && x.ifname === q.ifname)) {
      this.fatal(`queue ${q.name} already exists on interface ${q.ifname}`);
      return false;
    }
    if (q.sched !== 'priq' && q.sched !== 'codel') {
      if (q.bandwidth > ai.bandwidth) return this.reject(`bandwidth for ${q.name} higher than interface`);
      const p = q.parent;
      if (p && q.sched !== 'hfsc') {
        if (q.bandwidth > p.bandwidth) return this.reject(`pfctl: bandwidth for ${q.name} higher than parent`);
        p.childSum += q.bandwidth;
        if (p.childSum > p.bandwidth) this.warnings.push(`pfctl: the sum of the child bandwidth (${p.childSum}) higher than parent "${p.name}" (${p.bandwidth})`);
      }
    }
    const prio = def.priority ?? DEFAULT_PRIORITY;
    if (q.sched === 'priq') {
      if (prio >= 16) return this.reject('pfctl: priority out of range: max 15');
      if (ai.prios.has(prio)) return this.reject(`pfctl: ${q.name} does not have a unique priority on interface ${ai.ifname}`);
      ai.prios.add(prio);
    } else if (q.sched === 'cbq' && prio >= 8) return this.reject('pfctl: priority out of range: max 7');
    if (q.isDefault) ai.defaults++;
    return true;
  }

  private reject(message: string): false {
    this.fatal(message);
    return false;
  }

  /** pfctl's check_commit_altq: one default queue per interface. */
  finish(): void {
    let bad = false;
    for (const ai of this.ifs.values()) {
      if (ai.sched === 'codel' || ai.defaults === 1) continue;
      this.warnings.push(`pfctl: should have one default queue on ${ai.ifname}`);
      bad = true;
    }
    if (bad) this.fatal('pfctl: errors in altq config');
  }

  has(name: string): boolean {
    return this.queues.some((q) => q.name === name);
  }
}

function tbrSize(rate: number): number {
  let size: number;
  if (rate <= 1e6) size = 1;
  else if (rate <= 10e6) size = 4;
  else if (rate <= 200e6) size = 8;
  else if (rate <= 2500e6) size = 24;
  else size = 128;
  return size * MTU;
}

function curveText(name: string, c: Curve | undefined, ref: number): string {
  if (!c) return '';
  const val = (b: Bw) => (b.pct ? `${b.pct}%` : rate2str(Math.min(b.abs ?? 0, ref)));
  if (c.d) return ` ${name}(${c.m1 ? val(c.m1) : '0b'} ${c.d} ${val(c.m2)})`;
  return ` ${name} ${val(c.m2)}`;
}

/** The scheduler's `sched( … ) ` part, or '' when it has nothing to say. */
function schedText(o: SchedOpts, bandwidth: number): string {
  const flags = FLAG_ORDER[o.type].filter((f) => o.flags.includes(f)).map((f) => ` ${f}`).join('');
  if (o.type === 'hfsc') {
    const ls = o.linkshare;
    const lsShown = ls && (ls.d || !(ls.m2.abs === bandwidth || (ls.m2.pct === 100 && !ls.m2.abs)));
    if (!flags && !o.realtime && !o.upperlimit && !lsShown) return '';
    return `hfsc(${flags}${curveText('realtime', o.realtime, bandwidth)}${lsShown ? curveText('linkshare', ls, bandwidth) : ''}${curveText('upperlimit', o.upperlimit, bandwidth)} ) `;
  }
  if (!flags) return '';
  return `${o.type}(${flags} ) `;
}

function queueLine(def: QueueDef, sched: Sched, bandwidth: number): string {
  let s = `queue ${def.name} `;
  if (def.ifs.length) s += `on ${def.ifs[0]} `;
  if (sched === 'cbq' || sched === 'hfsc' || sched === 'fairq') {
    const bw = def.bw ?? { pct: 100 };
    if (bw.pct !== undefined) {
      if (bw.pct < 100) s += `bandwidth ${bw.pct}% `;
    } else s += `bandwidth ${rate2str(bandwidth)} `;
  }
  if (def.priority !== undefined && def.priority !== DEFAULT_PRIORITY) s += `priority ${def.priority} `;
  if (def.qlimit !== undefined && def.qlimit !== DEFAULT_QLIMIT) s += `qlimit ${def.qlimit} `;
  if (def.sched) s += schedText(def.sched, bandwidth);
  if (def.children.length) s += `{ ${def.children.map((c) => `${c} `).join('')}}`;
  return s;
}
