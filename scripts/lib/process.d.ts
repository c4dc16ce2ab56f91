export interface ManagedProcess {
  name: string;
  env: Record<string, string>;
  readyUrl?: string;
  pid(): number | undefined;
  /** Exit code of the last run (null while running, or when a signal ended it). */
  exitCode: number | null;
  /** Start (again) with the same port and environment; resolves once its ready URL answers 200. */
  start(): Promise<void>;
  /** Send a signal and wait for the exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Send a signal without waiting (SIGSTOP/SIGCONT). */
  signal(signal: NodeJS.Signals): void;
  running(): boolean;
}

export function freePort(): Promise<number>;
/** Poll the URL until it answers 2xx; fail early once `alive` says the process has exited. */
export function waitReady(url: string, timeoutMs?: number, alive?: () => boolean): Promise<void>;
/** SIGTERM the child if this process exits while it still runs. */
export function stopOnExit(proc: import('node:child_process').ChildProcess): void;
export function managed(spec: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  readyUrl?: string;
}): ManagedProcess;
