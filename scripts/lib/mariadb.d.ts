export interface MariaDB {
  url: string;
  port: number;
  dir: string;
  pid(): number | undefined;
  kill(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
export function startMariaDB(options?: {
  bufferPool?: string;
  log?: (line: string) => void;
}): Promise<MariaDB>;
export function findMariadbd(): string | null;
export { freePort } from './process';
