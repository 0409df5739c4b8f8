// The analysis core: parse → syntax → symbols → checks → features. No LSP or VS Code here.
export * from './types';
export * from './parser';
export * from './document';
export * from './dialect';
export * from './symbols';
export * from './macros';
export * from './workspace';
export * from './analysis';
export * from './nodefs';
export * from './incremental';
export { CHECKS, checkUnit } from './checks';
export type { AnalysisOptions } from './checks';
export * from './file-kinds';
export * from './file-names';
