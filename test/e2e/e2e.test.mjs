// End-to-end tests: the packaged extension (VSIX) in a real VS Code
// (code-server), driven by Chromium. Run with:
//
//   bash test/e2e/setup.sh && node --test test/e2e/
//
// The extension suite skips (and says why) when the VSIX has not been built
// (`npm run package`) or the tools are not installed (`bash test/e2e/setup.sh`).
// The baseline suite runs code-server without the extension, so the harness is
// checked on every run.
//
// To add a test: put it in the "pf-language in code-server" suite below and use
// the shared `page` (one code-server and one browser for the whole suite), or
// start your own with startCodeServer()/openBrowser() from ./harness.mjs.
// Helpers ready for more tests: hoverAt, quickFixes, runCommand, notifications,
// waitForNotification, outline, problems, squiggles, clickText, typeAtEnd.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as h from './harness.mjs';

const VSIX = h.DEFAULT_VSIX;
const TOOLS_MISSING = h.toolsMissing();
const SKIP_EXTENSION = TOOLS_MISSING ?? h.vsixMissing(VSIX);
if (SKIP_EXTENSION) console.log(`[e2e] SKIPPING the extension tests: ${SKIP_EXTENSION}`);
if (TOOLS_MISSING) console.log(`[e2e] SKIPPING the baseline tests: ${TOOLS_MISSING}`);

/** The language mode the status bar must show for pf.conf (the `pf` language's name). */
const PF_LANGUAGE_LABEL = /^pf$/i;
const SUITE_TIMEOUT = 15 * 60_000;
const TEST_TIMEOUT = 3 * 60_000;

/**
 * Runs `fn(page)`; on failure saves screenshots/failure-<name>.png and adds
 * the tail of the server and extension host logs to the error.
 */
async function withDiagnostics(ctx, name, fn) {
  try {
    return await fn();
  } catch (err) {
    const shot = ctx.page ? await h.screenshot(ctx.page, `failure-${name}`).catch(() => null) : null;
    const logs = ctx.server ? h.serverLogs(ctx.server) : '';
    err.message += `${shot ? `\nscreenshot: ${shot}` : ''}\n--- logs (tail) ---\n${logs}`;
    throw err;
  }
}

/** Text colour of plain text in the active editor (the editor's foreground). */
async function editorForeground(page) {
  return await page.locator('.part.editor .editor-group-container.active .monaco-editor .view-lines').first().evaluate((e) => getComputedStyle(e).color);
}

describe('pf-language in code-server', { skip: SKIP_EXTENSION ?? false, timeout: SUITE_TIMEOUT }, () => {
  const ctx = { server: null, page: null, workspace: null };

  before(async () => {
    ctx.workspace = h.prepareWorkspace('greylist');
    const t0 = Date.now();
    ctx.server = await h.startCodeServer({ vsix: VSIX, workspace: ctx.workspace });
    const installed = fs.readdirSync(ctx.server.extensionsDir).filter((d) => d.startsWith(h.EXTENSION_ID));
    console.log(`[e2e] code-server with ${installed.join(', ')} on port ${ctx.server.port} after ${Date.now() - t0} ms`);
    ctx.page = await h.openBrowser(ctx.server.url);
    console.log(`[e2e] workbench ready after ${Date.now() - t0} ms`);
  }, { timeout: 5 * 60_000 });

  after(async () => {
    await h.closeBrowser(ctx.page);
    await ctx.server?.stop();
    if (ctx.workspace) fs.rmSync(ctx.workspace, { recursive: true, force: true });
  });

  it('opens pf.conf as the pf language with coloured keywords', { timeout: TEST_TIMEOUT }, async () => {
    await withDiagnostics(ctx, 'language', async () => {
      const { page } = ctx;
      await h.openFile(page, 'pf.conf');
      const language = await h.statusBarLanguage(page);
      assert.notEqual(language, 'Properties', 'pf.conf opened as "Properties": the extension\'s filenames/filenamePatterns lost to VS Code\'s *.conf mapping');
      assert.match(language, PF_LANGUAGE_LABEL, `status bar language mode is "${language}"`);

      const plain = await editorForeground(page);
      // Tokenization is asynchronous: wait (bounded) until `pass` is coloured.
      const tokens = await h.waitFor(
        async () => {
          const t = await h.editorTokens(page);
          const pass = h.findToken(t, 'pass');
          return pass && pass.color !== plain ? t : null;
        },
        { timeoutMs: 15_000, what: `the keyword "pass" to get a colour other than plain text (${plain})` },
      ).catch(async (err) => {
        const t = await h.editorTokens(page).catch(() => []);
        throw new Error(`${err.message}\ntokens: ${JSON.stringify(t.slice(0, 40))}`);
      });
      for (const keyword of ['pass', 'rdr-to']) {
        const tok = h.findToken(tokens, keyword);
        assert.ok(tok, `no token "${keyword}" in ${JSON.stringify(tokens.map((x) => x.text))}`);
        assert.notEqual(tok.color, plain, `"${keyword}" has the plain text colour ${plain} (classes ${tok.classes})`);
        assert.notDeepEqual(tok.classes, ['mtk1'], `"${keyword}" has the default token class mtk1`);
      }
      const comment = tokens.find((x) => x.text.startsWith('# Greylisting'));
      if (comment) assert.notEqual(comment.color, plain, 'the comment has the plain text colour');
    });
  });

  it('shows a syntax error as a squiggle and a Problems entry', { timeout: TEST_TIMEOUT }, async () => {
    await withDiagnostics(ctx, 'problems', async () => {
      const { page } = ctx;
      await h.openFile(page, 'broken/pf.conf');
      assert.match(await h.statusBarLanguage(page), PF_LANGUAGE_LABEL);
      const marks = await h.waitFor(
        async () => {
          const s = await h.squiggles(page);
          return s.some((m) => m.severity === 'error') ? s : null;
        },
        { timeoutMs: h.TIMEOUTS.languageServer, what: 'an error squiggle in broken/pf.conf' },
      );
      // The unclosed `{` is on line 5 (0-based 4) and may run into line 6.
      assert.ok(
        marks.some((m) => m.severity === 'error' && (m.line === 4 || m.line === 5)),
        `no error squiggle on line 5/6: ${JSON.stringify(marks)}`,
      );

      const entries = await h.problems(page, { min: 1 });
      const broken = entries.filter((e) => e.severity === 'error' && e.path?.endsWith('/broken/pf.conf'));
      assert.ok(broken.length > 0, `no error for broken/pf.conf in the Problems panel: ${JSON.stringify(entries, null, 1)}`);
      assert.ok(broken.some((e) => e.line === 5 || e.line === 6), `the error is not on line 5/6: ${JSON.stringify(broken, null, 1)}`);
      const cleanErrors = entries.filter((e) => e.severity === 'error' && e.path && !e.path.endsWith('/broken/pf.conf'));
      assert.deepEqual(cleanErrors, [], 'errors reported for a file without syntax errors');
    });
  });

  it('lists the tables and macros in the Outline', { timeout: TEST_TIMEOUT }, async () => {
    await withDiagnostics(ctx, 'outline', async () => {
      const { page } = ctx;
      await h.openFile(page, 'pf.conf');
      const want = ['spamd-white', 'spamd-mywhite', 'ext_if', 'mail_server'];
      const bare = (label) => label.replace(/^[<$]|>$/g, '');
      const items = await h.waitFor(
        async () => {
          const got = await h.outline(page, { min: 0 });
          return want.every((w) => got.some((i) => bare(i.label) === w)) ? got : null;
        },
        { timeoutMs: h.TIMEOUTS.languageServer, intervalMs: 1_000, what: `Outline items ${want.join(', ')}` },
      ).catch(async (err) => {
        const got = await h.outline(page, { min: 0, timeoutMs: 2_000 }).catch(() => []);
        throw new Error(`${err.message}\noutline: ${JSON.stringify(got)}`);
      });
      console.log(`[e2e] outline: ${items.map((i) => `${i.label}${i.kind ? ` (${i.kind})` : ''}`).join(', ')}`);
    });
  });

  it('opens spamd.conf as a language of its own (not Properties)', { timeout: TEST_TIMEOUT }, async () => {
    await withDiagnostics(ctx, 'spamd', async () => {
      const { page } = ctx;
      await h.openFile(page, 'spamd.conf');
      const language = await h.statusBarLanguage(page);
      assert.notEqual(language, 'Properties', 'spamd.conf opened as "Properties"');
      assert.notEqual(language, 'Plain Text', 'spamd.conf opened as "Plain Text"');
      console.log(`[e2e] spamd.conf language mode: ${language}`);
    });
  });

  it('saves a screenshot of the editor (screenshots/editor.png)', { timeout: TEST_TIMEOUT }, async () => {
    await withDiagnostics(ctx, 'screenshot', async () => {
      const { page } = ctx;
      await h.openFile(page, 'pf.conf');
      await page.keyboard.press('Escape');
      const file = await h.screenshot(page, 'editor.png');
      const bytes = fs.readFileSync(file);
      assert.equal(bytes.subarray(1, 4).toString(), 'PNG', `${file} is not a PNG`);
      assert.ok(bytes.length > 10_000, `${file} is suspiciously small (${bytes.length} bytes)`);
      console.log(`[e2e] screenshot: ${file}`);
    });
  });
});

// The extension declares limited support for untrusted workspaces: language
// features must work in Restricted Mode (pfctl commands are disabled there).
describe('pf-language in Restricted Mode (untrusted workspace)', { skip: SKIP_EXTENSION ?? false, timeout: SUITE_TIMEOUT }, () => {
  const ctx = { server: null, page: null, workspace: null };

  before(async () => {
    ctx.workspace = h.prepareWorkspace('greylist');
    ctx.server = await h.startCodeServer({ vsix: VSIX, workspace: ctx.workspace, trusted: false });
    ctx.page = await h.openBrowser(ctx.server.url);
  }, { timeout: 5 * 60_000 });

  after(async () => {
    await h.closeBrowser(ctx.page);
    await ctx.server?.stop();
    if (ctx.workspace) fs.rmSync(ctx.workspace, { recursive: true, force: true });
  });

  it('still selects the pf language and reports the syntax error', { timeout: TEST_TIMEOUT }, async () => {
    await withDiagnostics(ctx, 'restricted', async () => {
      const { page } = ctx;
      await h.openFile(page, 'broken/pf.conf');
      // The trust indicator appears a moment after the workbench: wait for it (bounded).
      const items = await h.waitFor(async () => {
        const all = await h.statusBarItems(page);
        return all['status.workspaceTrust'] ? all : null;
      }, { timeoutMs: 30_000, what: 'the Restricted Mode status bar item' });
      assert.equal(items['status.workspaceTrust'], 'Restricted Mode', `not in Restricted Mode: ${JSON.stringify(items)}`);
      assert.match(await h.statusBarLanguage(page), PF_LANGUAGE_LABEL);
      const entries = await h.problems(page, { min: 1 });
      assert.ok(
        entries.some((e) => e.severity === 'error' && e.path?.endsWith('/broken/pf.conf')),
        `no error for broken/pf.conf in Restricted Mode: ${JSON.stringify(entries, null, 1)}`,
      );
    });
  });
});

// Runs without the extension: checks the harness itself, and that the extension
// tests above are meaningful (VS Code alone opens pf.conf as "Properties").
describe('harness baseline: code-server without the extension', { skip: TOOLS_MISSING ?? false, timeout: SUITE_TIMEOUT }, () => {
  const ctx = { server: null, page: null, workspace: null };

  before(async () => {
    ctx.workspace = h.prepareWorkspace('greylist');
    ctx.server = await h.startCodeServer({ workspace: ctx.workspace });
    ctx.page = await h.openBrowser(ctx.server.url);
  }, { timeout: 5 * 60_000 });

  after(async () => {
    await h.closeBrowser(ctx.page);
    await ctx.server?.stop();
    if (ctx.workspace) fs.rmSync(ctx.workspace, { recursive: true, force: true });
  });

  it('opens pf.conf as "Properties" and renders its lines', { timeout: TEST_TIMEOUT }, async () => {
    await withDiagnostics(ctx, 'baseline', async () => {
      const { page } = ctx;
      await h.openFile(page, 'pf.conf');
      const lines = await h.editorLines(page);
      assert.ok(lines.some((l) => l.startsWith('table <spamd-white> persist')), `rendered lines: ${JSON.stringify(lines)}`);
      assert.equal(await h.statusBarLanguage(page), 'Properties');
      const file = await h.screenshot(page, 'baseline-no-extension.png');
      assert.ok(fs.statSync(file).size > 10_000);
    });
  });

  it('stops code-server and every process it started', { timeout: TEST_TIMEOUT }, async () => {
    const { pid } = ctx.server;
    await h.closeBrowser(ctx.page);
    ctx.page = null;
    await ctx.server.stop();
    ctx.server = null;
    let alive = true;
    try {
      process.kill(-pid, 0);
    } catch {
      alive = false;
    }
    assert.equal(alive, false, `process group ${pid} still has processes after stop()`);
  });
});
