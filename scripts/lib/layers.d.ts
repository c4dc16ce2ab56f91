import type { Rule } from 'eslint';

export const LAYERS: Record<'backend' | 'frontend', string[][]>;
export const FOLDERS: Record<string, string[]>;
/** Why `from` may not import `to` (paths relative to the repository root), or null. */
export function violation(from: string, to: string): string | null;
export const rule: Rule.RuleModule;
/** Every group of modules under `dirs` that import each other in a circle. */
export function importCycles(dirs: string[]): string[][];
