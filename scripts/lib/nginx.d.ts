import type { ManagedProcess } from './process';

export interface Nginx extends ManagedProcess {
  port: number;
  statusPort: number;
  confFile: string;
  reload(): Promise<void>;
}

export function findNginx(): string | null;
export function startNginx(options: {
  dir: string;
  servers: string[];
  port: number;
  statusPort: number;
  logs: string;
  env?: Record<string, string>;
}): Promise<Nginx>;
