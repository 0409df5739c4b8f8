/** IPv4/IPv6 address parsing, masking and printing the way pfctl prints them (inet_ntop). */

export type Af = 'inet' | 'inet6';

export interface IpAddr {
  af: Af;
  /** 4 or 16 bytes. */
  bytes: number[];
}

/** Parses dotted IPv4, also pfctl's short forms (`10`, `10.1` as in `10/8`). */
export function parseV4(s: string, allowShort = false): number[] | undefined {
  const parts = s.split('.');
  if (parts.length > 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) return undefined;
  if (parts.length < 4 && !allowShort) return undefined;
  const nums = parts.map(Number);
  if (nums.some((n) => n > 255)) return undefined;
  while (nums.length < 4) nums.push(0);
  return nums;
}

export function parseV6(input: string): number[] | undefined {
  let s = input;
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  if (!s.includes(':')) return undefined;
  let tail4: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseV4(last);
    if (!v4) return undefined;
    tail4 = v4;
    s = s.slice(0, lastColon + 1) + (s.endsWith('::' + last) ? '' : '0');
    if (s.endsWith(':0')) s = s.slice(0, -2);
  }
  const dbl = s.split('::');
  if (dbl.length > 2) return undefined;
  const head = dbl[0] === '' ? [] : dbl[0].split(':');
  const tail = dbl.length === 2 ? (dbl[1] === '' ? [] : dbl[1].split(':')) : [];
  const groupsNeeded = 8 - tail4.length / 2;
  const all = [...head, ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  let groups: number[];
  if (dbl.length === 2) {
    const fill = groupsNeeded - head.length - tail.length;
    if (fill < 1 && !(fill === 0 && false)) {
      if (fill < 0) return undefined;
    }
    groups = [...head.map((g) => parseInt(g, 16)), ...new Array(Math.max(fill, 0)).fill(0), ...tail.map((g) => parseInt(g, 16))];
  } else {
    if (head.length !== groupsNeeded) return undefined;
    groups = head.map((g) => parseInt(g, 16));
  }
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 255);
  bytes.push(...tail4);
  return bytes.length === 16 ? bytes : undefined;
}

export function parseAddr(s: string, allowShortV4 = false): IpAddr | undefined {
  const v4 = parseV4(s, allowShortV4);
  if (v4) return { af: 'inet', bytes: v4 };
  const v6 = parseV6(s);
  if (v6) return { af: 'inet6', bytes: v6 };
  return undefined;
}

export function maxBits(af: Af): number {
  return af === 'inet' ? 32 : 128;
}

export function applyMask(a: IpAddr, bits: number): IpAddr {
  const out = a.bytes.slice();
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    const m = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    out[i] &= m;
  }
  return { af: a.af, bytes: out };
}

export function formatAddr(a: IpAddr): string {
  if (a.af === 'inet') return a.bytes.join('.');
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((a.bytes[i] << 8) | a.bytes[i + 1]);
  // IPv4-mapped/compatible forms the way inet_ntop prints them
  const b = a.bytes;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  if (g.slice(0, 6).every((x) => x === 0) && (g[6] !== 0 || g[7] > 1) && g[6] !== 0) return `::${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  const hex = (x: number) => x.toString(16);
  if (bestStart < 0) return g.map(hex).join(':');
  const left = g.slice(0, bestStart).map(hex).join(':');
  const right = g.slice(bestStart + bestLen).map(hex).join(':');
  return `${left}::${right}`;
}

/** Number of leading one bits if `bytes` is a contiguous netmask, else -1. */
export function maskBits(bytes: number[]): number {
  let bits = 0;
  let done = false;
  for (const x of bytes) {
    for (let k = 7; k >= 0; k--) {
      const on = (x >> k) & 1;
      if (on && done) return -1;
      if (on) bits++;
      else done = true;
    }
  }
  return bits;
}
