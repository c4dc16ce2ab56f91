import type { Stack } from './stack';

export interface MonitoringOptions {
  /** host:port of each backend. */
  backend: string[];
  /** host:port of each frontend. */
  frontend: string[];
  /** nginx's stub_status URL; the nginx exporter is started when set. */
  nginxStatusUrl?: string;
  port?: number;
  /** Scrape and rule evaluation interval (default 15s). */
  scrapeInterval?: string;
  log?: (line: string) => void;
}

export interface Monitoring {
  /** Prometheus's base URL. */
  url: string;
  exporterUrl: string | null;
  dir: string;
  configFile: string;
  pid: number;
  stop(): Promise<void>;
}

export const RULES_DIR: string;
export function prometheusConfig(targets: {
  backend: string[];
  frontend: string[];
  nginx: string[];
  scrapeInterval: string;
}): Record<string, unknown>;
export function startMonitoring(options: MonitoringOptions): Promise<Monitoring>;
export function monitorStack(
  stack: Stack,
  options?: Omit<MonitoringOptions, 'backend' | 'frontend' | 'nginxStatusUrl'>,
): Promise<Monitoring>;
