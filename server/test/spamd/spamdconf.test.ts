import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeSpamdMessage,
  didYouMean,
  parseSpamdConf,
  spamdConfDiagnostics,
  spamdConfHover,
  spamdConfSymbols,
} from '../../src/core/spamd/spamdconf';
import { shared } from '../docs/paths';

const GOOD = [
  '# lists for spamd',
  'all:\\',
  '\t:nixspam:override:myblack:override:',
  '',
  'nixspam:\\',
  '\t:black:\\',
  '\t:msg="Your address %A is in the nixspam list\\n\\',
  '\tSee http://www.example.org/ for details":\\',
  '\t:method=https:\\',
  '\t:file=www.example.org/spamd/nixspam.gz',
  '',
  'override:\\',
  '\t:white:\\',
  '\t:method=file:\\',
  '\t:file=/etc/mail/override.txt:',
  '',
  'myblack|mine:\\',
  '\t:black:\\',
  '\t:msg=/etc/mail/myblackmsg.txt:\\',
  '\t:method=exec:\\',
  '\t:file=/usr/local/bin/mylist -x:',
].join('\n');

function codes(text: string): string[] {
  return spamdConfDiagnostics(text).map((d) => d.code);
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return i;
}

test('parser: entries, names, capabilities and exact ranges', () => {
  const doc = parseSpamdConf(GOOD);
  assert.deepEqual(doc.entries.map((e) => e.name), ['all', 'nixspam', 'override', 'myblack']);
  assert.deepEqual(doc.all?.lists.map((l) => l.name), ['nixspam', 'override', 'myblack', 'override']);
  assert.deepEqual(doc.all?.lists[1].range, { start: { line: 2, character: 10 }, end: { line: 2, character: 18 } });

  const nix = doc.entries[1];
  assert.deepEqual(nix.nameRange, { start: { line: 4, character: 0 }, end: { line: 4, character: 7 } });
  assert.deepEqual(nix.capabilities.map((c) => `${c.name}:${c.type}`), ['black:flag', 'msg:string', 'method:string', 'file:string']);
  const msg = nix.capabilities[1];
  assert.deepEqual(msg.nameRange, { start: { line: 6, character: 2 }, end: { line: 6, character: 5 } });
  // the quoted message spans two physical lines and contains colons
  assert.equal(msg.valueRange?.start.line, 6);
  assert.equal(msg.valueRange?.end.line, 7);
  assert.match(msg.value!, /^"Your address %A.*http:\/\/www\.example\.org\/ for details"$/s);
  const file = nix.capabilities[3];
  assert.equal(file.value, 'www.example.org/spamd/nixspam.gz');
  assert.deepEqual(file.valueRange, { start: { line: 9, character: 7 }, end: { line: 9, character: 39 } });
  assert.deepEqual(nix.range.start, { line: 4, character: 0 });
  assert.equal(nix.range.end.line, 9);

  assert.deepEqual(doc.entries[3].names.map((n) => n.name), ['myblack', 'mine']);
  assert.deepEqual(spamdConfDiagnostics(GOOD), []);
});

test('spamd-unknown-capability with did-you-mean', () => {
  const text = GOOD.replace(':method=https:', ':methd=https:');
  const d = spamdConfDiagnostics(text).find((x) => x.code === 'spamd-unknown-capability')!;
  assert.ok(d);
  assert.match(d.message, /did you mean "method"/i);
  const line = lineOf(text, 'methd');
  assert.deepEqual(d.range, { start: { line, character: 2 }, end: { line, character: 7 } });
  assert.equal(d.severity, 'warning');
  assert.match(spamdConfDiagnostics(GOOD.replace(':white:', ':white:\\\n\t:colour=red:')).find((x) => x.code === 'spamd-unknown-capability')!.message, /Known: black, white/);
});

test('spamd-undefined-list', () => {
  const text = GOOD.replace(':nixspam:override:myblack:override:', ':nixspam:overide:missing:');
  const d = spamdConfDiagnostics(text).filter((x) => x.code === 'spamd-undefined-list');
  assert.equal(d.length, 2);
  assert.match(d[0].message, /"overide".*did you mean "override"/);
  assert.doesNotMatch(d[1].message, /did you mean/);
  assert.deepEqual(d[0].range, { start: { line: 2, character: 10 }, end: { line: 2, character: 17 } });
  assert.equal(d[0].severity, 'error');
  // aliases count as definitions
  assert.deepEqual(codes(GOOD.replace(':myblack:override:', ':mine:override:')), []);
});

test('spamd-missing-file', () => {
  const text = GOOD.replace('\t:method=file:\\\n\t:file=/etc/mail/override.txt:', '\t:method=file:');
  const d = spamdConfDiagnostics(text).find((x) => x.code === 'spamd-missing-file')!;
  assert.ok(d);
  assert.match(d.message, /method=file needs `file=/);
  assert.equal(d.range.start.line, lineOf(text, 'override:\\'));
  assert.equal(d.severity, 'error');
  // no method at all: file is still required
  const noMethod = GOOD.replace('\t:method=file:\\\n\t:file=/etc/mail/override.txt:', '\t:white:');
  assert.match(spamdConfDiagnostics(noMethod).find((x) => x.code === 'spamd-missing-file')!.message, /the default/);
});

test('spamd-missing-msg, spamd-missing-type, spamd-black-and-white, spamd-unused-msg', () => {
  assert.ok(codes(GOOD.replace('\t:msg=/etc/mail/myblackmsg.txt:\\\n', '')).includes('spamd-missing-msg'));
  assert.ok(codes(GOOD.replace('override:\\\n\t:white:\\\n', 'override:\\\n')).includes('spamd-missing-type'));
  assert.ok(codes(GOOD.replace('\t:white:\\\n', '\t:white:\\\n\t:black:\\\n')).includes('spamd-black-and-white'));
  const unused = spamdConfDiagnostics(GOOD.replace('\t:white:\\\n', '\t:white:\\\n\t:msg="x":\\\n')).find((d) => d.code === 'spamd-unused-msg');
  assert.equal(unused?.severity, 'hint');
});

test('spamd-unknown-method and spamd-file-has-scheme', () => {
  const d = spamdConfDiagnostics(GOOD.replace(':method=https:', ':method=htps:')).find((x) => x.code === 'spamd-unknown-method')!;
  assert.match(d.message, /did you mean "https"/);
  const line = lineOf(GOOD, ':method=https:');
  assert.deepEqual(d.range, { start: { line, character: 9 }, end: { line, character: 13 } });
  const scheme = GOOD.replace(':file=www.example.org', ':file=https://www.example.org');
  const ds = spamdConfDiagnostics(scheme);
  assert.deepEqual(ds.map((x) => x.code), ['spamd-file-has-scheme']);
  assert.match(ds[0].message, /file is just "https".*file=www\.example\.org\/spamd\/nixspam\.gz/);
  const sl = lineOf(scheme, 'file=https');
  assert.deepEqual(ds[0].range, { start: { line: sl, character: 2 }, end: { line: sl, character: scheme.split('\n')[sl].length } });
});

test('spamd-missing-all, spamd-empty-all, spamd-white-before-black, spamd-duplicate-entry', () => {
  assert.ok(codes(GOOD.replace('all:\\\n\t:nixspam:override:myblack:override:\n', '')).includes('spamd-missing-all'));
  assert.ok(codes(GOOD.replace(':nixspam:override:myblack:override:', ':')).includes('spamd-empty-all'));
  assert.ok(codes(GOOD.replace(':nixspam:override:myblack:override:', ':override:nixspam:')).includes('spamd-white-before-black'));
  const dup = GOOD + '\n\nnixspam:\\\n\t:white:\\\n\t:file=/x:\n';
  const d = spamdConfDiagnostics(dup).find((x) => x.code === 'spamd-duplicate-entry')!;
  assert.equal(d.range.start.line, dup.split('\n').length - 4);
});

test('capability form problems: type, whitespace, duplicates, quotes, msg file names', () => {
  assert.ok(codes(GOOD.replace('\t:black:\\\n\t:msg="Your', '\t:black=yes:\\\n\t:msg="Your')).includes('spamd-capability-type'));
  assert.ok(codes(GOOD.replace(':method=exec:', ':method:')).includes('spamd-capability-type'));
  assert.ok(codes(GOOD.replace('\t:white:\\\n', '\t: white:\\\n')).includes('spamd-capability-whitespace'));
  assert.ok(codes(GOOD.replace('\t:white:\\\n', '\t:white:\\\n\t:method=http:\\\n')).includes('spamd-duplicate-capability'));
  assert.ok(codes(GOOD.replace('for details":', 'for details:')).includes('spamd-unterminated-quote'));
  assert.ok(codes(GOOD.replace(':msg=/etc/mail/myblackmsg.txt:', ':msg=You are blocked:')).includes('spamd-msg-not-quoted'));
  assert.ok(codes(GOOD.replace(':file=/etc/mail/override.txt:', ':file=etc/override.txt:')).includes('spamd-relative-file'));
});

test('getcap pitfalls: missing backslash, comment inside an entry, CRLF, tc=', () => {
  const orphan = GOOD.replace('override:\\\n\t:white:\\', 'override:\n\t:white:\\');
  const c = codes(orphan);
  assert.ok(c.includes('spamd-orphan-line'), c.join());
  assert.ok(c.includes('spamd-missing-type'));
  const comment = GOOD.replace('\t:white:\\\n', '\t:white:\\\n# a comment\\\n');
  assert.ok(codes(comment).includes('spamd-comment-in-entry'));
  assert.ok(codes(GOOD.replace(/\n/g, '\r\n')).includes('spamd-crlf-continuation'));
  const tc = GOOD + '\n\nbase:\\\n\t:black:\\\n\t:msg="blocked":\\\n\t:method=file:\n\nmore:\\\n\t:file=/etc/more:\\\n\t:tc=base:\n';
  assert.deepEqual(codes(tc.replace(':override:myblack:', ':override:myblack:more:')), []);
  assert.ok(codes(tc.replace(':tc=base:', ':tc=bsae:')).includes('spamd-undefined-tc'));
});

test('lists not used in all get warnings instead of errors', () => {
  const text = GOOD + '\n\nunused:\\\n\t:black:\\\n\t:file=/x:\n';
  const d = spamdConfDiagnostics(text).find((x) => x.code === 'spamd-missing-msg')!;
  assert.equal(d.severity, 'warning');
  assert.match(d.message, /not used in `all`/);
});

test('no diagnostics on the real spamd.conf examples', (t) => {
  const dir = shared('corpus', 'spamd');
  if (!dir) {
    t.skip('shared corpus/spamd folder not present');
    return;
  }
  const files = readdirSync(dir).filter((f) => !f.endsWith('.tsv'));
  assert.ok(files.length >= 3);
  const ref = shared('reference', 'examples', 'openbsd', 'spamd.conf');
  const paths = files.map((f) => join(dir, f)).concat(ref ? [ref] : []);
  for (const p of paths) {
    const text = readFileSync(p, 'utf8');
    assert.deepEqual(spamdConfDiagnostics(text), [], p);
    assert.ok(parseSpamdConf(text).all, `${p} has an all entry`);
  }
});

test('hover on capabilities, method values, entry names and list names', () => {
  const hAt = (needle: string, delta = 1) => {
    const line = lineOf(GOOD, needle);
    return spamdConfHover(GOOD, line, GOOD.split('\n')[line].indexOf(needle) + delta);
  };
  assert.match(hAt(':black:', 2)!.markdown, /blacklist/);
  assert.match(hAt(':white:', 2)!.markdown, /removed from the black list/);
  assert.match(hAt(':msg=', 2)!.markdown, /Your address 192\.0\.2\.1 is in the nixspam list/);
  assert.match(hAt('https', 1)!.markdown, /`https`: Download/);
  assert.match(hAt(':file=www', 2)!.markdown, /IPv4 address/);
  // list name in all: shows its definition
  const inAll = spamdConfHover(GOOD, 2, 12)!;
  assert.match(inAll.markdown, /`override`.*white list/);
  assert.match(inAll.markdown, /position 2, 4/);
  assert.deepEqual(inAll.range, { start: { line: 2, character: 10 }, end: { line: 2, character: 18 } });
  const ent = spamdConfHover(GOOD, 4, 2)!;
  assert.match(ent.markdown, /`nixspam`.*black list/);
  assert.match(ent.markdown, /https:\/\/www\.example\.org\/spamd\/nixspam\.gz/);
  assert.match(spamdConfHover(GOOD, lineOf(GOOD, 'myblack|mine'), 10)!.markdown, /output of `\/usr\/local\/bin\/mylist -x`/);
  assert.match(spamdConfHover(GOOD, 1, 1)!.markdown, /lists spamd-setup applies/);
  assert.equal(spamdConfHover(GOOD, 0, 3), undefined, 'comment');
  assert.equal(spamdConfHover(GOOD, 3, 0), undefined, 'blank line');
  const unknown = GOOD.replace(':methd', ':method').replace(':method=https:', ':colour=https:');
  assert.match(spamdConfHover(unknown, lineOf(unknown, 'colour'), 3)!.markdown, /not a spamd\.conf capability/);
});

test('symbols for the outline', () => {
  const s = spamdConfSymbols(GOOD);
  assert.deepEqual(s.map((x) => `${x.name}:${x.kind}`), ['all:all', 'nixspam:black', 'override:white', 'myblack:black']);
  assert.equal(s[0].detail, 'nixspam → override → myblack → override');
  assert.equal(s[1].detail, 'black · https');
  assert.deepEqual(s[1].children.map((c) => c.name), ['black', 'msg', 'method', 'file']);
  assert.deepEqual(s[1].selectionRange, { start: { line: 4, character: 0 }, end: { line: 4, character: 7 } });
});

test('helpers', () => {
  assert.equal(decodeSpamdMessage('"a\\"b\\n%A %% c"'), 'a"b\n192.0.2.1 % c');
  assert.equal(didYouMean('blak', ['black', 'white']), 'black');
  assert.equal(didYouMean('zzzzzz', ['black', 'white']), undefined);
});
