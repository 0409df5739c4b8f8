// End-to-end: the features a person reaches for, in a real VS Code (code-server + Chromium):
// the <spamd-mywhite> typo flagged and fixed with a quick fix, spamd hovers, and pfctl commands
// run against the stand-in pfctl (test/fake-bin/pfctl: pfctl does not exist on Linux; the
// stand-in reproduces its arguments, output and error format and keeps state in $FAKE_PF_STATE).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as h from './harness.mjs';

const VSIX = h.DEFAULT_VSIX;
const SKIP = h.toolsMissing() ?? h.vsixMissing(VSIX);
if (SKIP && process.env.CI) throw new Error(`E2E cannot run in CI: ${SKIP}`);
if (SKIP) console.log(`[e2e] SKIPPING the feature tests: ${SKIP}`);

const FAKE_PFCTL = path.join(h.REPO_ROOT, 'test', 'fake-bin', 'pfctl');
const TEST_TIMEOUT = 3 * 60_000;

describe('pf features in code-server', { skip: SKIP ?? false, timeout: 15 * 60_000 }, () => {
  const ctx = { server: null, page: null, workspace: null, state: null };

  before(async () => {
    ctx.workspace = h.prepareWorkspace('features');
    // The stand-in pfctl's state: pf enabled, <spamd-white> holding two addresses.
    ctx.state = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-e2e-state-'));
    fs.writeFileSync(path.join(ctx.state, 'state.json'), JSON.stringify({
      enabled: true, since: Math.floor(Date.now() / 1000), rulesets: {},
      tables: { '\u0000spamd-white': { flags: '-pa----', addresses: ['192.0.2.7', '198.51.100.9'] } },
    }));
    process.env.FAKE_PF_STATE = ctx.state;
    // A workspace that tries to point pf.pfctl.path at its own program: it must never run.
    ctx.evil = path.join(ctx.state, 'evil-pfctl');
    fs.writeFileSync(ctx.evil, '#!/bin/sh\ntouch "$0.ran"\n', { mode: 0o755 });
    fs.mkdirSync(path.join(ctx.workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(ctx.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'pf.pfctl.path': ctx.evil }));
    ctx.server = await h.startCodeServer({
      vsix: VSIX, workspace: ctx.workspace,
      settings: { 'editor.codeLens': true },
      machineSettings: { 'pf.pfctl.path': FAKE_PFCTL },
    });
    ctx.page = await h.openBrowser(ctx.server.url);
  }, { timeout: 5 * 60_000 });

  after(async () => {
    await h.closeBrowser(ctx.page);
    await ctx.server?.stop();
    for (const d of [ctx.workspace, ctx.state]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  async function withShot(name, fn) {
    try {
      return await fn();
    } catch (err) {
      const shot = ctx.page ? await h.screenshot(ctx.page, `failure-${name}`).catch(() => null) : null;
      err.message += `${shot ? `\nscreenshot: ${shot}` : ''}\n--- logs ---\n${h.serverLogs(ctx.server)}`;
      throw err;
    }
  }

  it('flags <spamd-mywhite> with a squiggle and a Problems entry, and the quick fix corrects it', { timeout: TEST_TIMEOUT }, async () => {
    await withShot('typo', async () => {
      const { page } = ctx;
      await h.openFile(page, 'pf.conf');
      const warning = await h.waitFor(async () => {
        const s = await h.squiggles(page);
        return s.find((m) => m.severity === 'warning' && m.line === 5) ?? null;
      }, { timeoutMs: h.TIMEOUTS.languageServer, what: 'a warning squiggle on line 6' });
      assert.ok(warning);
      const entries = await h.problems(page, { min: 1 });
      const undef = entries.filter((e) => /not declared/.test(e.message));
      assert.equal(undef.length, 1, JSON.stringify(entries, null, 1));
      assert.match(undef[0].message, /did you mean <spamd-white>\?/);
      assert.equal(undef[0].line, 6);
      await h.screenshot(page, 'typo.png');

      await h.quickFixes(page, 'spamd-mywhite', { apply: 'Change to <spamd-white>' });
      await h.waitFor(async () => (await h.editorText(page)).includes('from <spamd-white> to $external_addr port smtp -> 127.0.0.1 port smtp') || null,
        { what: 'the quick fix to rewrite the table name' });
      await h.waitFor(async () => {
        const now = await h.problems(page);
        return now.some((e) => /not declared/.test(e.message)) ? null : true;
      }, { timeoutMs: h.TIMEOUTS.languageServer, what: 'the undefined-table warning to disappear' });
    });
  });

  it('explains <spamd-white> and port spamd on hover', { timeout: TEST_TIMEOUT }, async () => {
    await withShot('hover', async () => {
      const { page } = ctx;
      await h.openFile(page, 'pf.conf');
      const table = await h.hoverAt(page, 'spamd-white', { occurrence: 1 });
      assert.match(table, /table <spamd-white> persist/);
      assert.match(table, /spamlogd/);
      await h.screenshot(page, 'hover.png');
      await h.dismissHover(page);
      const port = await h.hoverAt(page, 'spamd', { occurrence: 4 });
      assert.match(port, /8025/);
    });
  });

  it('runs "Check Syntax with pfctl" and shows pfctl\'s error on the right line', { timeout: TEST_TIMEOUT }, async () => {
    await withShot('pfctl-check', async () => {
      const { page } = ctx;
      await h.openFile(page, 'check.pf');
      await h.runCommand(page, 'pf: Check Syntax with pfctl (pfctl -nf)');
      const entry = await h.waitFor(async () => {
        const all = await h.problems(page);
        return all.find((e) => e.source === 'pfctl' && e.path?.endsWith('check.pf')) ?? null;
      }, { timeoutMs: h.TIMEOUTS.languageServer, what: 'a Problems entry with source pfctl' });
      assert.equal(entry.line, 3);
      assert.match(entry.message, /syntax error/);
      const log = fs.readFileSync(path.join(ctx.state, 'argv.log'), 'utf8');
      assert.match(log, /"-n"/);
      assert.equal(fs.existsSync(`${ctx.evil}.ran`), false, 'the workspace\'s pf.pfctl.path was run');
    });
  });

  it('shows a table\'s contents from the code lens', { timeout: TEST_TIMEOUT }, async () => {
    await withShot('codelens', async () => {
      const { page } = ctx;
      await h.openFile(page, 'pf.conf');
      const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Show table' }).first();
      await lens.waitFor({ state: 'visible', timeout: h.TIMEOUTS.languageServer });
      await lens.click();
      await h.waitFor(async () => {
        const text = await h.editorText(page).catch(() => '');
        return text.includes('192.0.2.7') && text.includes('198.51.100.9') ? text : null;
      }, { timeoutMs: h.TIMEOUTS.languageServer, what: 'the table contents document' });
      await h.screenshot(page, 'table-show.png');
      const log = fs.readFileSync(path.join(ctx.state, 'argv.log'), 'utf8');
      assert.match(log, /"-t","spamd-white","-T","show"/);
    });
  });
});

describe('pfctl commands in Restricted Mode', { skip: SKIP ?? false, timeout: 10 * 60_000 }, () => {
  const ctx = { server: null, page: null, workspace: null, state: null };

  before(async () => {
    ctx.workspace = h.prepareWorkspace('features');
    ctx.state = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-e2e-state-'));
    process.env.FAKE_PF_STATE = ctx.state;
    ctx.server = await h.startCodeServer({ vsix: VSIX, workspace: ctx.workspace, trusted: false, machineSettings: { 'pf.pfctl.path': FAKE_PFCTL } });
    ctx.page = await h.openBrowser(ctx.server.url);
  }, { timeout: 5 * 60_000 });

  after(async () => {
    await h.closeBrowser(ctx.page);
    await ctx.server?.stop();
    for (const d of [ctx.workspace, ctx.state]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('offers no pfctl command and runs nothing, while diagnostics still work', { timeout: TEST_TIMEOUT }, async () => {
    const { page } = ctx;
    await h.openFile(page, 'check.pf');
    await assert.rejects(h.runCommand(page, 'pf: Check Syntax with pfctl (pfctl -nf)', { timeoutMs: 5_000 }), /Command Palette/);
    await page.keyboard.press('Escape');
    const entries = await h.problems(page, { min: 1 });
    assert.ok(entries.some((e) => e.source === 'pfcheck'), JSON.stringify(entries));
    assert.equal(fs.existsSync(path.join(ctx.state, 'argv.log')), false, 'pfctl ran in an untrusted workspace');
  });
});
