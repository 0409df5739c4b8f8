import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GREYLIST_DEFAULTS,
  SPAMD_OPTIONS,
  SPAMD_PF_RULES,
  SPAMD_PORTS,
  SPAMD_PROGRAMS,
  SpamdFlavor,
  checkSpamdArgument,
  explainSpamdArgument,
  findSpamdOption,
  spamdOptionDoc,
  spamdPortDoc,
  spamdProgramDoc,
  spamdRulesMarkdown,
  spamdTableDoc,
  spamdbFieldDoc,
} from '../../src/core/docs/spamd';
import { serviceByName } from '../../src/core/docs/services';
import { shared } from './paths';

test('<spamd-white> is filled by spamd and kept fresh by spamlogd', () => {
  const md = spamdTableDoc('<spamd-white>')!;
  assert.match(md, /spamlogd/);
  assert.match(md, /WHITE/);
  assert.match(md, /864/);
  assert.match(md, /table <spamd-white> persist/);
  assert.equal(spamdTableDoc('spamd-white'), md, 'with or without angle brackets');
});

test('<spamd> is for blacklist-only mode and filled by spamd-setup -b', () => {
  const md = spamdTableDoc('<spamd>')!;
  assert.match(md, /spamd-setup -b/);
  assert.match(md, /blacklist-only/i);
});

test('<nospamd> is maintained by the administrator', () => {
  const md = spamdTableDoc('nospamd')!;
  assert.match(md, /administrator/);
  assert.match(md, /\/etc\/mail\/nospamd/);
  assert.ok(spamdTableDoc('<spamd-greytrap>'));
  assert.equal(spamdTableDoc('<bad_hosts>'), undefined);
});

test('ports: 8025 is spamd, 8026 spamd-cfg, 8025/udp spamd-sync — consistent with services', () => {
  const md = spamdPortDoc(8025)!;
  assert.match(md, /`spamd`/);
  assert.match(md, /spamd-sync/);
  assert.match(spamdPortDoc('spamd-cfg')!, /8026\/tcp/);
  assert.match(spamdPortDoc('8025', 'udp')!, /spamd-sync/);
  assert.doesNotMatch(spamdPortDoc('8025', 'tcp')!, /spamd-sync/);
  assert.equal(spamdPortDoc('smtp'), undefined);
  for (const p of SPAMD_PORTS) {
    const s = serviceByName(p.service, p.protocol, 'openbsd');
    assert.equal(s?.port, p.port, p.service);
  }
});

test('-G documents passtime, greyexp and whiteexp with their defaults', () => {
  const md = spamdOptionDoc('spamd', '-G')!;
  for (const w of ['passtime', 'greyexp', 'whiteexp', '25:4:864']) assert.ok(md.includes(w), w);
  assert.equal(GREYLIST_DEFAULTS.passtimeMinutes, 25);
  assert.equal(GREYLIST_DEFAULTS.greyexpHours, 4);
  assert.equal(GREYLIST_DEFAULTS.whiteexpHours, 864);
  const ex = explainSpamdArgument('spamd', 'G', '25:4:864')!;
  assert.match(ex, /passtime\*\* = 25 minutes \(default\)/);
  assert.match(ex, /greyexp\*\* = 4 hours \(default\)/);
  assert.match(ex, /whiteexp\*\* = 864 hours \(≈ 36 days\) \(default\)/);
  assert.match(explainSpamdArgument('spamd', 'G', '5:1:720')!, /default 25/);
  assert.match(explainSpamdArgument('spamd', 'G', 'x')!, /⚠️/);
});

test('argument checks', () => {
  assert.equal(checkSpamdArgument('spamd', 'G', '25:4:864'), undefined);
  assert.equal(checkSpamdArgument('spamd', 'G', '25:4')?.severity, 'error');
  assert.equal(checkSpamdArgument('spamd', 'G', '300:4:864')?.severity, 'warning');
  assert.equal(checkSpamdArgument('spamd', 'S', '91')?.severity, 'warning');
  assert.equal(checkSpamdArgument('spamd', 's', '11')?.severity, 'warning');
  assert.equal(checkSpamdArgument('spamd', 'c', 'lots')?.severity, 'error');
  assert.equal(checkSpamdArgument('spamlogd', 'W', '2161')?.severity, 'warning');
  assert.equal(checkSpamdArgument('spamlogd', 'W', '2160'), undefined);
  assert.equal(checkSpamdArgument('spamd', 'm', 'iptables')?.severity, 'error');
  assert.equal(checkSpamdArgument('spamd', 'p', 'spamd'), undefined);
});

test('flavour differences: -C/-K OpenBSD only, -m/-t FreeBSD port only, spamdb -G OpenBSD only', () => {
  assert.deepEqual(findSpamdOption('spamd', 'C')?.flavors, ['openbsd']);
  assert.deepEqual(findSpamdOption('spamd', 'm')?.flavors, ['freebsd-port']);
  assert.deepEqual(findSpamdOption('spamd-setup', 't')?.flavors, ['freebsd-port']);
  assert.deepEqual(findSpamdOption('spamdb', 'G')?.flavors, ['openbsd']);
  assert.match(spamdOptionDoc('spamd', 'm', 'openbsd')!, /Not available in the OpenBSD version/);
  assert.match(spamdOptionDoc('spamd', '-m')!, /FreeBSD port/);
  assert.equal(spamdOptionDoc('spamd', 'Q'), undefined);
  assert.match(spamdOptionDoc('spamd', 'l')!, /127\.0\.0\.1/);
});

function manOptionLetters(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  const letters = new Set<string>();
  const synopsis = /^\.Sh SYNOPSIS$([\s\S]*?)^\.Sh /m.exec(text)?.[1] ?? '';
  for (const m of synopsis.matchAll(/Fl ([A-Za-z0-9]+)/g)) for (const ch of m[1]) letters.add(ch);
  for (const m of text.matchAll(/^\.It Fl ([A-Za-z0-9])/gm)) letters.add(m[1]);
  return letters;
}

test('every option of every manual page is documented, and nothing more', (t) => {
  const dirs: Record<SpamdFlavor, string | undefined> = {
    openbsd: shared('reference', 'man', 'openbsd'),
    'freebsd-port': shared('reference', 'man', 'freebsd-spamd-port'),
  };
  if (!dirs.openbsd || !dirs['freebsd-port']) {
    t.skip('shared reference manual pages not present');
    return;
  }
  for (const flavor of ['openbsd', 'freebsd-port'] as const) {
    for (const program of SPAMD_PROGRAMS) {
      const page = manOptionLetters(join(dirs[flavor]!, `${program}.8`));
      const ours = new Set(SPAMD_OPTIONS.filter((o) => o.program === program && o.flavors.includes(flavor)).map((o) => o.letter));
      const missing = [...page].filter((l) => !ours.has(l));
      const extra = [...ours].filter((l) => !page.has(l));
      assert.deepEqual(missing, [], `${flavor} ${program}: undocumented options ${missing.join(' ')}`);
      assert.deepEqual(extra, [], `${flavor} ${program}: options not in the manual ${extra.join(' ')}`);
    }
  }
});

test('program docs, pf rules and spamdb output fields', () => {
  assert.match(spamdProgramDoc('spamlogd')!, /pflog/);
  assert.match(spamdProgramDoc('obspamd')!, /spamd/);
  assert.equal(spamdProgramDoc('sendmail'), undefined);

  const obsd = SPAMD_PF_RULES.filter((r) => r.flavor === 'openbsd').map((r) => r.rules).join('\n');
  const fbsd = SPAMD_PF_RULES.filter((r) => r.flavor === 'freebsd-port').map((r) => r.rules).join('\n');
  assert.match(obsd, /divert-to 127\.0\.0\.1 port spamd/);
  assert.doesNotMatch(obsd, /^rdr /m);
  assert.match(fbsd, /rdr pass .* -> 127\.0\.0\.1 port spamd/);
  assert.match(spamdRulesMarkdown('openbsd'), /```pf/);

  const white = 'WHITE|192.0.2.1|||1700000000|1700001500|1703110400|3|12';
  assert.match(spamdbFieldDoc(white, 3)!, /WHITE · type/);
  assert.match(spamdbFieldDoc(white, white.indexOf('192'))!, /source IP/);
  assert.match(spamdbFieldDoc(white, white.indexOf('1703110400') + 2)!, /expire[\s\S]*2023-12-20/);
  assert.match(spamdbFieldDoc(white, white.length - 1)!, /pass count/);
  const grey = 'GREY|198.51.100.7|mx.example.org|<a@example.org>|<b@example.net>|1700000000|1700001500|1700014400|1|0';
  assert.match(spamdbFieldDoc(grey, grey.indexOf('mx.'))!, /helo/);
  assert.match(spamdbFieldDoc(grey, grey.indexOf('<b@'))!, /envelope recipient/);
  assert.match(spamdbFieldDoc('TRAPPED|203.0.113.9|1700086400', 20)!, /expire/);
  assert.match(spamdbFieldDoc('SPAMTRAP|trap@example.org', 12)!, /mailaddress/);
  assert.equal(spamdbFieldDoc('nonsense|x', 2), undefined);
});
