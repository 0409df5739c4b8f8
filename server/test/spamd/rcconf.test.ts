import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  commentOptionHover,
  findSpamdRcAssignments,
  isRcConfPath,
  parseSpamdFlags,
  rcConfDiagnostics,
  rcConfHover,
} from '../../src/core/spamd/rcconf';

/** Hover at the first occurrence of `needle` in line `line` (plus `delta` characters). */
function hoverAt(text: string, line: number, needle: string, delta = 0) {
  const col = text.split('\n')[line].indexOf(needle);
  assert.ok(col >= 0, `${needle} not on line ${line}`);
  return rcConfHover(text, line, col + delta);
}

const RC = [
  '# /etc/rc.conf.local',
  'spamd_flags="-v -G 25:4:864"',
  "spamlogd_flags='-I -i em0'",
  'spamd_black=NO',
  'obspamd_enable="YES"',
  'obspamd_flags="-m ipfw -t 3 -vb -S5"',
  'pkg_scripts=postfix',
].join('\n');

test('isRcConfPath', () => {
  assert.ok(isRcConfPath('/etc/rc.conf'));
  assert.ok(isRcConfPath('/etc/rc.conf.local'));
  assert.ok(isRcConfPath('/etc/defaults/rc.conf'));
  assert.ok(isRcConfPath('/usr/local/etc/rc.conf.d/obspamd'));
  assert.ok(isRcConfPath('C:\\cfg\\rc.conf.d\\spamd'));
  assert.ok(!isRcConfPath('/etc/pf.conf'));
  assert.ok(!isRcConfPath('/etc/rc.conf.bak'));
  assert.ok(!isRcConfPath('/etc/rc.conf.d'));
});

test('hover on -G explains passtime, greyexp and whiteexp', () => {
  const h = hoverAt(RC, 1, '-G', 1)!;
  assert.ok(h);
  for (const w of ['passtime', 'greyexp', 'whiteexp']) assert.ok(h.markdown.includes(w), w);
  assert.match(h.markdown, /25 minutes/);
  assert.match(h.markdown, /4 hours/);
  assert.match(h.markdown, /864 hours/);
  const col = RC.split('\n')[1].indexOf('-G');
  assert.deepEqual(h.range, { start: { line: 1, character: col }, end: { line: 1, character: col + 2 } });
});

test('hover on the -G argument covers the argument', () => {
  const h = hoverAt(RC, 1, '25:4:864', 3)!;
  const col = RC.split('\n')[1].indexOf('25:4:864');
  assert.deepEqual(h.range, { start: { line: 1, character: col }, end: { line: 1, character: col + 8 } });
  assert.match(h.markdown, /passtime\*\* = 25 minutes/);
  assert.match(h.markdown, /whiteexp\*\* = 864 hours \(≈ 36 days\)/);
});

test('hover on other options, grouped flags, variables and values', () => {
  assert.match(hoverAt(RC, 1, '-v', 1)!.markdown, /Verbose/);
  assert.match(hoverAt(RC, 2, '-I', 1)!.markdown, /spamlogd -I/);
  assert.match(hoverAt(RC, 2, 'em0', 1)!.markdown, /spamlogd -i interface/);
  assert.match(hoverAt(RC, 5, '-m', 1)!.markdown, /Use ipfw/);
  // `-vb`: the b is its own option
  const b = hoverAt(RC, 5, 'vb', 1)!;
  assert.match(b.markdown, /spamd -b/);
  assert.equal(b.range.end.character - b.range.start.character, 1);
  // attached argument
  assert.match(hoverAt(RC, 5, 'S5', 1)!.markdown, /5 seconds/);
  // variable names and values
  assert.match(hoverAt(RC, 1, 'spamd_flags', 3)!.markdown, /spamd_flags/);
  assert.match(hoverAt(RC, 3, 'spamd_black', 0)!.markdown, /blacklist-only/);
  assert.match(hoverAt(RC, 3, 'NO', 1)!.markdown, /Currently `NO` \(off\)/);
  assert.match(hoverAt(RC, 4, 'YES', 1)!.markdown, /FreeBSD port/);
  assert.equal(hoverAt(RC, 6, 'postfix', 1), undefined, 'unrelated variables');
  assert.equal(hoverAt(RC, 0, 'rc.conf', 1), undefined, 'comments');
  assert.match(rcConfHover('spamd_flags=NO', 0, 13)!.markdown, /not started/);
  assert.match(rcConfHover('spamd_flags=""', 0, 2)!.markdown, /spamd/);
});

test('findSpamdRcAssignments and parseSpamdFlags', () => {
  const a = findSpamdRcAssignments(RC);
  assert.deepEqual(a.map((x) => x.name), ['spamd_flags', 'spamlogd_flags', 'spamd_black', 'obspamd_enable', 'obspamd_flags']);
  assert.equal(a[0].value, '-v -G 25:4:864');
  assert.equal(a[0].quote, '"');
  assert.equal(a[1].quote, "'");
  const flags = parseSpamdFlags('spamd', '-vb -G25:4:864 -- x');
  assert.deepEqual(flags.map((f) => f.letter ?? 'operand'), ['v', 'b', 'G', 'operand']);
  assert.equal(flags[2].arg, '25:4:864');
  assert.deepEqual([flags[2].argStart, flags[2].argEnd], [6, 14]);
  const missing = parseSpamdFlags('spamd', '-v -G');
  assert.equal(missing[1].missingArg, true);
  const db = parseSpamdFlags('spamdb', '-T -a trap@example.org');
  assert.deepEqual(db.map((f) => f.kind), ['option', 'option', 'operand']);
});

test('rc.conf diagnostics', () => {
  const text = [
    'spamd_flags="-v -X -G 25:4"',
    'spamlogd_flags="-W 5000"',
    'obspamd_flags="-C cert.pem"',
    'spamd_flags="-c"',
    'spamd_flags=NO',
    'spamd_flags="-v extra"',
  ].join('\n');
  const d = rcConfDiagnostics(text).map((x) => `${x.range.start.line}:${x.code}:${x.severity}`);
  assert.deepEqual(d, [
    '0:spamd-rc-unknown-option:error',
    '0:spamd-rc-bad-argument:error',
    '1:spamd-rc-bad-argument:warning',
    '2:spamd-rc-option-flavor:warning',
    '3:spamd-rc-missing-argument:error',
    '5:spamd-rc-unexpected-argument:warning',
  ]);
  assert.deepEqual(rcConfDiagnostics(RC), []);
});

test('spamd options mentioned in pf.conf comments', () => {
  const c = '# spamd runs as: spamd -v -G 25:4:864; see <spamd-white>';
  const g = commentOptionHover(c, c.indexOf('-G') + 1)!;
  assert.match(g.markdown, /passtime/);
  assert.deepEqual(g.range, { start: c.indexOf('-G'), end: c.indexOf('-G') + 2 });
  const arg = commentOptionHover(c, c.indexOf('864'))!;
  assert.deepEqual(arg.range, { start: c.indexOf('25:4:864'), end: c.indexOf('25:4:864') + 8 });
  assert.match(commentOptionHover(c, c.indexOf('spamd-white') + 2)!.markdown, /spamlogd/);
  assert.match(commentOptionHover(c, 3)!.markdown, /spamd\*\*\(8\)/);
  assert.equal(commentOptionHover(c, c.indexOf('runs')), undefined);
  const path = '#/usr/libexec/spamlogd -I';
  assert.match(commentOptionHover(path, path.indexOf('-I') + 1)!.markdown, /inbound/);
  const port = '# obspamd -m ipfw';
  assert.match(commentOptionHover(port, port.indexOf('-m') + 1)!.markdown, /spamd -m mode/);
  assert.equal(commentOptionHover('# nothing here', 3), undefined);
});
