import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from './types';

export const K8S_DIR = path.resolve(__dirname, '..', '..');
export const REPO_DIR = path.resolve(K8S_DIR, '..');

/** Every kustomization a person or the pipeline applies, relative to k8s/. */
export const TARGETS = [
  'overlays/test',
  'overlays/prod',
  'overlays/local',
  'canary',
  'cluster',
] as const;
export type Target = (typeof TARGETS)[number];

const cache = new Map<string, K8sObject[]>();

/** `kubectl kustomize <dir>`, parsed; throws with kustomize's message when it cannot render. */
export function render(dir: string): K8sObject[] {
  const full = path.resolve(K8S_DIR, dir);
  const hit = cache.get(full);
  if (hit) return hit;
  const out = execFileSync('kubectl', ['kustomize', full], { encoding: 'utf8', stdio: 'pipe' });
  const objects = parseManifests(out);
  cache.set(full, objects);
  return objects;
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('; '));
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

/** Production plus its canary, as the cluster holds them while a canary runs. */
export function renderProdWithCanary(): K8sObject[] {
  return [...render('overlays/prod'), ...render('canary')];
}
