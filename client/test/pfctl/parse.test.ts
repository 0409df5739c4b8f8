import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSpamdb, formatTime, parseInfo, parsePfctlErrors, parseSpamdb, parseTableList, parseTableShow } from '../../src/pfctl/parse';

describe('parsePfctlErrors', () => {
  it('reads FILE:LINE: message lines and the closing summary', () => {
    const stderr = [
      '/etc/pf.conf:12: syntax error',
      '/etc/pf.conf:30: macro \'ext_if\' not defined',
      'pfctl: Syntax error in config file: pf rules not loaded',
      '',
    ].join('\n');
    const r = parsePfctlErrors(stderr);
    assert.deepEqual(r.messages, [
      { file: '/etc/pf.conf', line: 12, message: 'syntax error', severity: 'error' },
      { file: '/etc/pf.conf', line: 30, message: "macro 'ext_if' not defined", severity: 'error' },
    ]);
    assert.equal(r.summary, 'Syntax error in config file: pf rules not loaded');
    assert.equal(r.notLoaded, true);
    assert.deepEqual(r.other, []);
  });

  it('recognises stdin (pfctl -f -) and warnings', () => {
    const r = parsePfctlErrors('stdin:3: warning: fake warning requested\nstdin:7: syntax error\r\n');
    assert.deepEqual(r.messages, [
      { file: 'stdin', line: 3, message: 'fake warning requested', severity: 'warning' },
      { file: 'stdin', line: 7, message: 'syntax error', severity: 'error' },
    ]);
    assert.equal(r.notLoaded, false);
  });

  it('keeps paths with spaces and colons intact', () => {
    const r = parsePfctlErrors('/home/me/my rules: v2/pf.conf:4: syntax error\n');
    assert.equal(r.messages[0].file, '/home/me/my rules: v2/pf.conf');
    assert.equal(r.messages[0].line, 4);
  });

  it('puts pfctl: lines other than the summary into other', () => {
    const r = parsePfctlErrors('pfctl: /etc/nope.conf: No such file or directory\n');
    assert.deepEqual(r.messages, []);
    assert.deepEqual(r.other, ['pfctl: /etc/nope.conf: No such file or directory']);
  });
});

describe('parseTableShow', () => {
  it('reads plain -T show output', () => {
    assert.deepEqual(parseTableShow('   192.0.2.1\n   10.0.0.0/8\n  !10.1.2.3\n   2001:db8::/32\n'), [
      { address: '192.0.2.1', negated: false },
      { address: '10.0.0.0/8', negated: false },
      { address: '10.1.2.3', negated: true },
      { address: '2001:db8::/32', negated: false },
    ]);
  });

  it('skips the statistics lines of -vTshow (example from pfctl(8))', () => {
    const text = [
      '   198.51.100.81',
      '\tCleared:     Fri Jun 28 11:17:37 2013',
      '\tIn/Block:    [ Packets: 0        Bytes: 0        ]',
      '\tIn/Match     [ Packets: 54       Bytes: 10028    ]',
      '\tIn/Pass:     [ Packets: 5        Bytes: 1949     ]',
      '\tOut/Block:   [ Packets: 0        Bytes: 0        ]',
      '\tOut/Match    [ Packets: 65       Bytes: 12684    ]',
      '\tOut/Pass:    [ Packets: 6        Bytes: 389      ]',
    ].join('\n');
    assert.deepEqual(parseTableShow(text), [{ address: '198.51.100.81', negated: false }]);
  });
});

describe('parseTableList', () => {
  it('reads -s Tables with and without -v/-vv', () => {
    assert.deepEqual(parseTableList('bruteforce\nspamd-white\n'), ['bruteforce', 'spamd-white']);
    const vv = ['--a-r-C test', '\tAddresses:   1', '\tCleared:     Fri Jun 28 11:17:37 2013', 'cpa-r-- other'].join('\n');
    assert.deepEqual(parseTableList(vv), ['test', 'other']);
  });
});

describe('parseInfo', () => {
  it('reads the status line, sections and counters', () => {
    const text = [
      'Status: Enabled for 2 days 03:04:05             Debug: err',
      '',
      'Hostid:   0x2d4e3a1f',
      'Checksum: 0x0123456789abcdef0123456789abcdef',
      '',
      'State Table                          Total             Rate',
      '  current entries                        4               ',
      '  searches                            1234            1.6/s',
      'Counters',
      '  match                                 20            0.0/s',
      '  state-mismatch                         0            0.0/s',
    ].join('\n');
    const s = parseInfo(text);
    assert.deepEqual(
      s.map((x) => x.title),
      ['Status', 'State Table', 'Counters'],
    );
    assert.deepEqual(s[0].entries, [
      { key: 'Status', values: ['Enabled for 2 days 03:04:05'] },
      { key: 'Debug', values: ['err'] },
      { key: 'Hostid', values: ['0x2d4e3a1f'] },
      { key: 'Checksum', values: ['0x0123456789abcdef0123456789abcdef'] },
    ]);
    assert.deepEqual(s[1].columns, ['Total', 'Rate']);
    assert.deepEqual(s[1].entries, [
      { key: 'current entries', values: ['4'] },
      { key: 'searches', values: ['1234', '1.6/s'] },
    ]);
    assert.deepEqual(s[2].entries[1], { key: 'state-mismatch', values: ['0', '0.0/s'] });
  });
});

describe('parseSpamdb', () => {
  // Formats from spamdb(8): WHITE|ip|||first|pass|expire|block|pass,
  // GREY|ip|helo|from|to|first|pass|expire|block|pass, TRAPPED|ip|expire,
  // SPAMTRAP|address.
  const text = [
    'WHITE|192.0.2.10|||1700000000|1700001500|1703110400|3|12',
    'GREY|198.51.100.4|mx.example.net|<a@example.net>|<b@example.org>|1700000100|1700001600|1700014500|1|0',
    'TRAPPED|203.0.113.9|1700090000',
    'SPAMTRAP|<trap@example.org>',
    'GREY|198.51.100.5|odd|helo|<c@x>|<d@y>|1700000100|1700001600|1700014500|2|0',
    'nonsense line',
    'WHITE|192.0.2.11|||notatime|1|1|0|0',
  ].join('\n');

  it('types every entry and converts times to Dates', () => {
    const { entries, invalid } = parseSpamdb(text);
    assert.equal(entries.length, 5);
    assert.deepEqual(entries[0], {
      type: 'WHITE',
      ip: '192.0.2.10',
      helo: '',
      from: '',
      to: '',
      first: new Date(1700000000 * 1000),
      pass: new Date(1700001500 * 1000),
      expire: new Date(1703110400 * 1000),
      blockCount: 3,
      passCount: 12,
    });
    assert.deepEqual(entries[1], {
      type: 'GREY',
      ip: '198.51.100.4',
      helo: 'mx.example.net',
      from: '<a@example.net>',
      to: '<b@example.org>',
      first: new Date(1700000100 * 1000),
      pass: new Date(1700001600 * 1000),
      expire: new Date(1700014500 * 1000),
      blockCount: 1,
      passCount: 0,
    });
    assert.deepEqual(entries[2], { type: 'TRAPPED', ip: '203.0.113.9', expire: new Date(1700090000 * 1000) });
    assert.deepEqual(entries[3], { type: 'SPAMTRAP', address: '<trap@example.org>' });
    assert.equal((entries[4] as { helo: string }).helo, 'odd|helo', 'a | inside HELO stays in helo');
    assert.deepEqual(invalid, ['nonsense line', 'WHITE|192.0.2.11|||notatime|1|1|0|0']);
  });

  it('formats a readable table', () => {
    const out = formatSpamdb(parseSpamdb(text).entries);
    assert.match(out, /^WHITE \(1\)$/m);
    assert.match(out, /^GREY \(2\)$/m);
    assert.match(out, /^TRAPPED \(1\)$/m);
    assert.match(out, /^SPAMTRAP \(1\)$/m);
    assert.ok(out.includes(formatTime(new Date(1703110400 * 1000))));
    assert.match(formatTime(new Date(1700000000 * 1000)), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal(formatTime(new Date(0)), '-');
  });
});
