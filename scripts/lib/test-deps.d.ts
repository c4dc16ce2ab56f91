export interface TestDep {
  program: string;
  package: string;
  group: string;
  why: string;
}

export const INSTALL: string;
export const NOT_RUN: string;
export function readTestDeps(): TestDep[];
export function installHint(programs: readonly string[]): string;
export function isInstalled(program: string): boolean;
export function missingPrograms(programs: readonly string[]): string[];
export function describeNeeding(programs: readonly string[], name: string, fn: () => void): void;
export function itNeeding(
  programs: readonly string[],
  name: string,
  fn: jest.ProvidesCallback,
  timeout?: number,
): void;
export function needing(programs: readonly string[]): (name: string, fn: () => void) => void;
