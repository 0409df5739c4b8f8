// pfctl's own semantic errors, with pfctl's wording (source `pfctl-check`): the expansion engine
// in ../expand reads the unit the way `pfctl -nv` does and its error lines are mapped back to files
// and lines. Only for the OpenBSD dialect, which the engine implements; syntax errors are left to
// the syntax-error check (the engine stops differently), so nothing is reported twice.
import { dirname, resolve } from 'path';
import { printRules } from '../expand';
import { unlessTooDeep } from '../expansion-guard';
import type { Check, FileDiagnostic } from './context';

/** pfctl's message → a stable code of ours. First match wins. */
const CODES: [RegExp, string][] = [
  [/port only applies to tcp\/udp/, 'pfctl-port-needs-tcp-udp'],
  [/rule expands to no valid combination/, 'pfctl-no-valid-combination'],
  [/af mismatch|address family|af-to/, 'pfctl-address-family'],
  [/flags/, 'pfctl-flags'],
  [/too long/, 'pfctl-too-long'],
  [/no IP address found for|could not parse host|netmask/, 'pfctl-host'],
  [/must be|illegal|invalid/, 'pfctl-invalid-value'],
  [/cannot be respecified|more than one/, 'pfctl-repeated-option'],
  [/route-to|reply-to|dup-to|divert/, 'pfctl-routing'],
  [/binat/, 'pfctl-binat'],
];

// Reported by our own checks already (syntax-error, undefined-macro, include-cycle/missing-include).
const IGNORED = [/^syntax error$/, /^skipping rule due to errors$/, /^macro '.*' not defined$/, /^include cycle/,
  /^include nested more than/, /^cannot open the main config file!$/];

/** Files larger than this are not expanded while typing (pfcheck still does it). */
export const MAX_EXPANSION_BYTES = 256 * 1024;

/** A ruleset-wide error (`pfctl: no default queue specified`): shown on the first line. */
function wholeFile(path: string, message: string): FileDiagnostic {
  return {
    path, source: 'pfctl-check', severity: 'error', message,
    code: CODES.find(([re]) => re.test(message))?.[1] ?? 'pfctl-error',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

export const pfctlSemantic: Check = {
  code: 'pfctl-check',
  run({ unit, options }) {
    const root = unit.documents[0];
    if (!root?.tree || root.dialect !== 'openbsd') return [];
    if (!options.fullExpansion && root.text.length > MAX_EXPANSION_BYTES) return [];
    // Keyed by absolute path: the unit resolved includes to absolute paths, the root may be relative.
    const byPath = new Map(unit.documents.map((d) => [resolve(d.path), d]));
    const result = unlessTooDeep(() => printRules({
      path: root.path,
      text: root.text,
      readFile: (p) => byPath.get(resolve(p))?.text ?? byPath.get(resolve(dirname(root.path), p))?.text,
    }));
    if (!result) return [];
    const out: FileDiagnostic[] = [];
    // pfctl prints some details without a position ("no IP address found for X") just before
    // the positioned error they explain: carry them into that diagnostic's message.
    let detail: string[] = [];
    for (const line of result.stderr.split('\n')) {
      if (!line.trim()) continue;
      const m = /^(.*?):(\d+): (.*)$/.exec(line);
      if (!m) {
        if (line.startsWith('pfctl: ')) out.push(wholeFile(root.path, line.slice(7)));
        else detail.push(line);
        continue;
      }
      const [, file, lineNo, message] = m;
      const explained = detail.length ? `${message}: ${detail.join('; ')}` : message;
      detail = [];
      if (IGNORED.some((re) => re.test(message))) continue;
      // The engine names included files as written: relative ones are relative to the root's folder.
      const doc = byPath.get(resolve(dirname(root.path), file)) ?? byPath.get(resolve(file)) ?? root;
      const path = doc.path;
      const l = Number(lineNo) - 1;
      const text = doc.text.split('\n')[l] ?? '';
      const start = text.length - text.trimStart().length;
      const hostDependent = /no IP address found for [A-Za-z]+\d*(:|$)/.test(explained);
      out.push({
        path, source: 'pfctl-check',
        code: CODES.find(([re]) => re.test(explained))?.[1] ?? 'pfctl-error',
        severity: hostDependent ? 'information' : 'error',
        message: hostDependent
          ? `${explained} — pfctl resolves interface names on the firewall; this depends on its interfaces`
          : explained,
        range: { start: { line: l, character: start }, end: { line: l, character: text.replace(/\r$/, '').length } },
      });
    }
    return out;
  },
};
