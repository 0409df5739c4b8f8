// File names that hold pf rules (the extension's language mapping and pfcheck's directory walk).
export function isPfFileName(name: string, opts: { includeRegressInputs?: boolean } = {}): boolean {
  return name === 'pf.conf' || name.startsWith('pf.conf.') || name.endsWith('.pf') ||
    name.endsWith('.pf.conf') || name === 'pf.rules' || (opts.includeRegressInputs !== false && name.endsWith('.in'));
}
