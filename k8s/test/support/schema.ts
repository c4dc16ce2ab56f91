import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { K8sObject } from './types';

const SCRIPT = path.join(__dirname, 'validate-schemas.mjs');

/** Schema problems of the given objects, one string per invalid object. */
export function schemaProblems(objects: K8sObject[]): string[] {
  const out = execFileSync(process.execPath, [SCRIPT], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    cwd: path.resolve(__dirname, '..', '..', '..'),
  });
  return JSON.parse(out) as string[];
}
