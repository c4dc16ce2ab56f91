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

/** A port free a moment ago, chosen below the kernel's ephemeral range. */
export function freePort(): Promise<number>;
/** Thrown by ManagedProcess.start() when the process exited because its port was taken. */
export class PortTakenError extends Error {
  code: 'EADDRINUSE';
}
/** `start(port)` on a free port, again on another one when a PortTakenError says it was taken. */
export function onFreePort<T>(start: (port: number) => Promise<T>, attempts?: number): Promise<T>;
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
