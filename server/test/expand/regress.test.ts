// pfctl's own regression suite (regress/sbin/pfctl) run against printRules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { printRules } from '../../src/core/expand';

const DIR = '/work/shared/corpus/openbsd-regress';
/** Raise as the pass count grows; the test fails only if the count drops below. */
const FLOOR = 231;

/** Cases that need a kernel or files the snapshot lacks, with the reason. */
const NEEDS_KERNEL: Record<string, string> = {};

function run(text: string, opts: string[] = []) {
  const defines: Record<string, string> = {};
  let anchor: string | undefined;
  for (let i = 0; i < opts.length; i++) {
    const o = opts[i];
    if (o.startsWith('-D')) {
      const v = o.length > 2 ? o.slice(2) : opts[++i];
      const eq = v.indexOf('=');
      defines[v.slice(0, eq)] = v.slice(eq + 1);
    } else if (o.startsWith('-a')) anchor = o.length > 2 ? o.slice(2) : opts[++i];
  }
  return printRules({
    path: 'stdin',
    text,
    defines,
    anchor,
    checkTableFiles: true,
    readFile: (p) => {
      const f = join(DIR, p);
      if (existsSync(f)) return readFileSync(f, 'utf8');
      if (existsSync(f + '.in')) return readFileSync(f + '.in', 'utf8');
      return undefined;
    },
  });
}

function shortDiff(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < 6; i++) {
    if (a[i] !== b[i]) out.push(`    line ${i + 1}:\n      -${a[i] ?? '<eof>'}\n      +${b[i] ?? '<eof>'}`);
  }
  return out.join('\n');
}

interface Group {
  name: string;
  passed: string[];
  failed: { name: string; diff: string }[];
  skipped: { name: string; reason: string }[];
}

test('openbsd pfctl regress corpus', { skip: !existsSync(DIR) && `${DIR} absent` }, () => {
  const files = readdirSync(DIR);
  const num = (s: string) => Number(s.replace(/\D/g, ''));
  const groups: Group[] = [];
  const mk = (name: string): Group => {
    const g = { name, passed: [], failed: [], skipped: [] };
    groups.push(g);
    return g;
  };
  const check = (g: Group, name: string, want: string, got: string) => {
    if (want === got) g.passed.push(name);
    else g.failed.push({ name, diff: shortDiff(want, got) });
  };

  const pf = mk('pf');
  const self = mk('selfpf');
  for (const f of files.filter((x) => /^pf\d+\.in$/.test(x)).sort((a, b) => num(a) - num(b))) {
    const n = f.replace(/\.in$/, '');
    if (!files.includes(`${n}.ok`)) {
      pf.skipped.push({ name: n, reason: 'no .ok in the snapshot' });
      continue;
    }
    if (NEEDS_KERNEL[n]) {
      pf.skipped.push({ name: n, reason: NEEDS_KERNEL[n] });
      continue;
    }
    const want = readFileSync(join(DIR, `${n}.ok`), 'utf8');
    check(pf, n, want, run(readFileSync(join(DIR, f), 'utf8')).stdout);
    check(self, n, want, run(want).stdout);
  }
  const opt = mk('pfopt');
  for (const f of files.filter((x) => /^pfopt\d+\.in$/.test(x)).sort((a, b) => num(a) - num(b))) {
    const n = f.replace(/\.in$/, '');
    if (!files.includes(`${n}.opts`) || !files.includes(`${n}.ok`)) {
      opt.skipped.push({ name: n, reason: 'no .opts/.ok in the snapshot' });
      continue;
    }
    const opts = readFileSync(join(DIR, `${n}.opts`), 'utf8').trim().split(/\s+/);
    check(opt, n, readFileSync(join(DIR, `${n}.ok`), 'utf8'), run(readFileSync(join(DIR, f), 'utf8'), opts).stdout);
  }
  const fail = mk('pfail');
  for (const f of files.filter((x) => /^pfail\d+\.in$/.test(x)).sort((a, b) => num(a) - num(b))) {
    const n = f.replace(/\.in$/, '');
    if (!files.includes(`${n}.ok`)) {
      fail.skipped.push({ name: n, reason: 'no .ok in the snapshot' });
      continue;
    }
    const r = run(readFileSync(join(DIR, f), 'utf8'));
    check(fail, n, readFileSync(join(DIR, `${n}.ok`), 'utf8'), r.stderr + r.stdout);
  }

  let tp = 0;
  let tf = 0;
  const lines: string[] = [];
  for (const g of groups) {
    tp += g.passed.length;
    tf += g.failed.length;
    lines.push(`${g.name}: ${g.passed.length} passed, ${g.failed.length} failed${g.skipped.length ? `, ${g.skipped.length} not run` : ''}`);
  }
  lines.push(`total: ${tp} passed, ${tf} failed`);
  if (process.env.REGRESS_VERBOSE !== '0') {
    for (const g of groups) {
      for (const s of g.skipped) lines.push(`  not run ${g.name}/${s.name}: ${s.reason}`);
      for (const f of g.failed) lines.push(`  FAIL ${g.name}/${f.name}\n${f.diff}`);
    }
  }
  console.log(lines.join('\n'));
  assert.ok(tp >= FLOOR, `pass count ${tp} dropped below the floor ${FLOOR}`);
});
