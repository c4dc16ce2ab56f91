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
export function freePort(): Promise<number>;
/** Resolve once the server on the port sends its first packet to a client. */
export function waitForServer(port: number, timeoutMs: number): Promise<void>;
/** SIGTERM the child if this process exits while it still runs. */
export function stopOnExit(proc: import('node:child_process').ChildProcess): void;
