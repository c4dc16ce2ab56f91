import type { MariaDB } from './mariadb';
import type { Nginx } from './nginx';
import type { ManagedProcess } from './process';

export type { ManagedProcess } from './process';

export interface StackOptions {
  port?: number;
  /** nginx terminates HTTPS with a certificate made for this stack; `port` redirects to it. */
  tls?: boolean;
  /** nginx's HTTPS port with `tls` (default: a free port). */
  httpsPort?: number;
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
  /** Where a browser goes: nginx's HTTPS address with `tls`, else its HTTP one. */
  url: string;
  /** nginx's plain-HTTP address (with `tls`: health and redirects only). */
  httpUrl: string;
  /** With `tls`: the CA that signed the certificate, the certificate, and its host name. */
  tls: { ca: string; cert: string; host: string } | null;
  dir: string;
  logs: string;
  dialect: 'mysql' | 'sqlite';
  databaseUrl: string;
  admin: { email: string; password: string };
  mariadb: MariaDB | null;
  backend: ManagedProcess & { port: number; url: string };
  frontends: (ManagedProcess & { port: number })[];
  nginx: Nginx & { httpsPort: number | null };
  reloadNginx(): Promise<void>;
  stop(): Promise<void>;
}

export function startStack(options?: StackOptions): Promise<Stack>;
export function findNginx(): string | null;
export { waitReady } from './process';
