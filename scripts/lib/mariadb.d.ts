export interface MariaDB {
  url: string;
  port: number;
  dir: string;
  tls: { ca: string; host: string } | null;
  pid(): number | undefined;
  kill(signal?: NodeJS.Signals): Promise<void>;
  freeze(): Promise<void>;
  thaw(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
export function startMariaDB(options?: {
  bufferPool?: string;
  tls?: boolean;
  log?: (line: string) => void;
}): Promise<MariaDB>;
export function createTestCertificates(
  dir: string,
  names?: string[],
): { ca: string; cert: string; key: string };
export function findMariadbd(): string | null;
export { freePort } from './process';
