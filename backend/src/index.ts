export { startBackend, type RunningBackend } from './main';
export { loadConfig, type Config } from './config';
