/**
 * OpenBSD queues: `queue NAME [on IF] [parent P] bandwidth B [burst B for N ms]
 * [min …] [max …] [flows N] [quantum N] [qlimit N] [default]`. pfctl prints
 * them when it loads them (after parsing, before the rules), so a run with
 * errors shows none of them.
 */
import type { TokenSource } from './altq';

interface Bw {
  abs?: number;
  pct?: number;
}

interface Scspec {
  m2: Bw;
  m1?: Bw;
  d?: number;
}

interface QueueSpec {
  line: number;
  name: string;
  ifname?: string;
  parent?: string;
  linkshare?: Scspec;
  realtime?: Scspec;
  upperlimit?: Scspec;
  flows?: number;
  quantum?: number;
  qlimit?: number;
  isDefault: boolean;
}

function parseBw(text: string): Bw | undefined {
  const m = /^(\d+(?:\.\d+)?)(%|[KMG]?b?)$/.exec(text);
  if (!m) return undefined;
  if (m[2] === '%') return { pct: Math.floor(Number(m[1])) };
  const mult = { '': 1, K: 1e3, M: 1e6, G: 1e9 }[m[2].replace(/b$/, '')] ?? 1;
  return { abs: Math.floor(Number(m[1]) * mult) };
}

/** print_bwspec: the largest unit that divides evenly (`1000000` → `1M`). */
function bwText(b: Bw): string {
  if (b.pct !== undefined) return `${b.pct}%`;
  let v = b.abs ?? 0;
  const units = ['', 'K', 'M', 'G', 'T'];
  let i = 0;
  while (v >= 1000 && v % 1000 === 0 && i < 4) {
    v /= 1000;
    i++;
  }
  return `${v}${units[i]}`;
}

function scText(sc: Scspec | undefined, prefix: string): string {
  if (!sc) return '';
  let s = ` ${prefix}bandwidth ${bwText(sc.m2)}`;
  if (sc.d) s += ` burst ${bwText(sc.m1 ?? {})} for ${sc.d}ms`;
  return s;
}

export class Queues {
  private specs: QueueSpec[] = [];

  /** Parses what follows the `queue` keyword. */
  parse(ts: TokenSource, line: number): void {
    const q: QueueSpec = { line, name: ts.word().text, isDefault: false };
    const bw = (): Bw => {
      const t = ts.word();
      const b = parseBw(t.text);
      if (!b) {
        ts.err(t.line, `unknown unit ${t.text}`);
        ts.fail(t);
      }
      return b;
    };
    const sc = (): Scspec => {
      const s: Scspec = { m2: bw() };
      if (ts.accept('burst')) {
        s.m1 = bw();
        if (!ts.accept('for')) ts.fail();
        const d = ts.word();
        const m = /^(\d+)ms$/.exec(d.text);
        if (!m) ts.fail(d);
        s.d = Number(m[1]);
      }
      return s;
    };
    if (ts.accept('on')) q.ifname = ts.word().text;
    for (;;) {
      const t = ts.peek();
      if (t.kind === 'punct' && t.text === ',') {
        ts.next();
        continue;
      }
      if (t.kind !== 'word') break;
      const k = t.text;
      if (k === 'bandwidth') {
        ts.next();
        q.linkshare = sc();
      } else if (k === 'min' || k === 'max') {
        ts.next();
        if (!ts.accept('bandwidth')) ts.fail();
        q[k === 'min' ? 'realtime' : 'upperlimit'] = sc();
      } else if (k === 'parent') {
        ts.next();
        q.parent = ts.word().text;
      } else if (k === 'default') {
        ts.next();
        q.isDefault = true;
      } else if (k === 'qlimit' || k === 'flows' || k === 'quantum') {
        ts.next();
        q[k] = ts.number();
      } else break;
    }
    if (!q.linkshare && q.flows === undefined) {
      ts.err(line, 'no bandwidth or flow specification');
      return;
    }
    if (!q.ifname && !q.parent) {
      ts.err(line, 'root queue without interface');
      return;
    }
    if (q.parent && !q.ifname) q.ifname = this.specs.find((p) => p.name === q.parent)?.ifname;
    this.specs.push(q);
  }

  has(name: string): boolean {
    return this.specs.some((q) => q.name === name);
  }

  /** pfctl's checks when it loads the queues; the messages it prints (without position). */
  check(): string[] {
    const errs: string[] = [];
    for (const q of this.specs) {
      const leaf = !this.specs.some((c) => c.parent === q.name && c.ifname === q.ifname);
      if (!leaf && q.isDefault) errs.push(`pfctl: default queue ${q.name} is not a leaf queue`);
      else if (!leaf && q.flows !== undefined) errs.push(`pfctl: flow queue ${q.name} is not a leaf queue`);
      else if (q.parent && !q.linkshare) errs.push(`pfctl: queue ${q.name}: no bandwidth was specified`);
    }
    if (errs.length) return errs;
    const ifs = [...new Set(this.specs.map((q) => q.ifname))];
    for (const i of ifs) {
      if (!this.specs.some((q) => q.ifname === i && q.isDefault)) errs.push('pfctl: no default queue specified');
    }
    return errs;
  }

  lines(): string[] {
    return this.specs.map((q) => {
      let s = `queue ${q.name}`;
      s += q.parent ? ` parent ${q.parent}` : ` on ${q.ifname}`;
      if (q.flows !== undefined) {
        s += ` flows ${q.flows}`;
        if (q.quantum) s += ` quantum ${q.quantum}`;
      }
      s += scText(q.linkshare, '') + scText(q.realtime, 'min ') + scText(q.upperlimit, 'max ');
      if (q.isDefault) s += ' default';
      if (q.qlimit) s += ` qlimit ${q.qlimit}`;
      return s;
    });
  }
}
