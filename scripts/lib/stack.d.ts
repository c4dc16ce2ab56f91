import type { MariaDB } from './mariadb';

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

export interface StackOptions {
  port?: number;
  frontends?: number;
  database?: 'auto' | 'sqlite' | 'mysql';
  seed?: { users: number; orders: number; messages: number };
  backendEnv?: Record<string, string>;
  frontendEnv?: Record<string, string>;
  nginxEnv?: Record<string, string>;
  log?: (line: string) => void;
  /** Keep the temp dir (logs, SQLite file) after stop(). */
  keepLogs?: boolean;
}

export interface Stack {
  url: string;
  dir: string;
  logs: string;
  dialect: 'mysql' | 'sqlite';
  databaseUrl: string;
  admin: { email: string; password: string };
  mariadb: MariaDB | null;
  backend: ManagedProcess & { port: number; url: string };
  frontends: (ManagedProcess & { port: number })[];
  nginx: ManagedProcess & { port: number; statusPort: number; confFile: string };
  reloadNginx(): Promise<void>;
  stop(): Promise<void>;
}

export function startStack(options?: StackOptions): Promise<Stack>;
export function findNginx(): string | null;
export function waitReady(url: string, timeoutMs?: number): Promise<void>;
