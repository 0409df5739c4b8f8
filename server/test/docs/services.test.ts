import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PROTOCOLS,
  SERVICES,
  protocolByName,
  protocolByNumber,
  serviceByName,
  servicesByName,
  servicesByPort,
} from '../../src/core/docs/services';
import { repoRoot, shared } from './paths';

test('spamd ports: 8025/tcp spamd, 8025/udp spamd-sync, 8026/tcp spamd-cfg (OpenBSD)', () => {
  const spamd = serviceByName('spamd');
  assert.equal(spamd?.port, 8025);
  assert.deepEqual(spamd?.protocols, ['tcp']);
  assert.deepEqual(spamd?.os, ['openbsd']);
  assert.equal(serviceByName('spamd-cfg')?.port, 8026);
  assert.equal(serviceByName('spamd-sync', 'udp')?.port, 8025);
  const names = servicesByPort(8025).map((s) => s.name).sort();
  assert.ok(names.includes('spamd') && names.includes('spamd-sync'), names.join());
  assert.deepEqual(servicesByPort(8025, 'udp', 'openbsd').map((s) => s.name), ['spamd-sync']);
  assert.equal(serviceByName('spamd', undefined, 'freebsd'), undefined, 'FreeBSD base has no spamd service');
});

test('well-known services resolve by name, alias and port', () => {
  assert.equal(serviceByName('smtp')?.port, 25);
  assert.equal(serviceByName('mail')?.name, 'smtp', 'alias');
  assert.equal(serviceByName('ssh', 'tcp')?.port, 22);
  assert.equal(serviceByName('domain', 'udp')?.port, 53);
  assert.ok(servicesByPort(80, 'tcp').some((s) => s.name === 'www' || s.name === 'http'));
  assert.ok(servicesByPort(443).length > 0);
  assert.equal(serviceByName('no-such-service'), undefined);
  assert.deepEqual(servicesByPort(0), []);
  // shared entries are marked for both systems
  assert.deepEqual(serviceByName('smtp', 'tcp')?.os, ['openbsd', 'freebsd']);
  // FreeBSD-only names are present too
  assert.ok(servicesByName('natd').some((s) => s.protocols.includes('divert')));
});

test('protocols resolve both ways', () => {
  assert.equal(protocolByName('tcp')?.number, 6);
  assert.equal(protocolByName('udp')?.number, 17);
  assert.equal(protocolByName('TCP')?.number, 6, 'alias');
  assert.equal(protocolByName('icmp')?.number, 1);
  assert.equal(protocolByName('ipv6-icmp')?.number, 58);
  assert.equal(protocolByName('carp')?.number, 112);
  assert.equal(protocolByName('pfsync')?.number, 240);
  assert.equal(protocolByNumber(6)?.name, 'tcp');
  assert.equal(protocolByNumber(58)?.name, 'ipv6-icmp');
  assert.equal(protocolByNumber(255 + 1), undefined);
  assert.ok(PROTOCOLS.length > 100);
  assert.ok(SERVICES.length > 1000);
});

test('the committed services.ts matches the generator output', (t) => {
  const ref = shared('reference', 'services');
  if (!ref) {
    t.skip('shared reference services folder not present');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pf-services-'));
  try {
    const out = join(dir, 'services.ts');
    const root = repoRoot();
    execFileSync(process.execPath, [join(root, 'server', 'scripts', 'gen-services.mjs'), ref, out], { stdio: 'pipe' });
    const committed = readFileSync(join(root, 'server', 'src', 'core', 'docs', 'services.ts'), 'utf8');
    assert.equal(readFileSync(out, 'utf8'), committed, 'run `node server/scripts/gen-services.mjs` and commit the result');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
