import type { MariaDB } from './mariadb';
import type { Nginx } from './nginx';
import type { ManagedProcess } from './process';

export type { ManagedProcess } from './process';

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
  nginx: Nginx;
  reloadNginx(): Promise<void>;
  stop(): Promise<void>;
}

export function startStack(options?: StackOptions): Promise<Stack>;
export function findNginx(): string | null;
export { waitReady } from './process';
