// Tables that something other than a `table` statement creates and fills, so a reference to them
// is not a mistake: spamd's tables in a spamd setup, overload targets, and the user's own list.
import type { Unit } from '../workspace';
import type { AnalysisOptions } from './context';

/** spamd fills <spamd>, spamlogd and spamd <spamd-white>, spamd-setup/the admin <nospamd>. */
export const SPAMD_TABLES = ['spamd', 'spamd-white', 'nospamd'];

/** A ruleset is a spamd setup when it sends mail to spamd's port (8025, `spamd`). */
export function isSpamdSetup(unit: Unit): boolean {
  for (const doc of unit.documents) {
    if (/\bport\s+(=\s*)?(spamd|8025)\b/.test(doc.text)) return true;
  }
  return false;
}

export function knownTables(unit: Unit, options: AnalysisOptions): Set<string> {
  const known = new Set<string>(options.externalTables ?? []);
  for (const use of unit.index.tableUses) if (use.overload) known.add(use.name);
  if (isSpamdSetup(unit)) SPAMD_TABLES.forEach((t) => known.add(t));
  return known;
}
