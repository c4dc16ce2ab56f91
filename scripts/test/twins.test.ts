import { readFileSync } from 'node:fs';
import path from 'node:path';

// The two services share no code (each image builds its own src/, and the frontend never
// imports the backend), but some of it is the same on purpose: one shape for both. These
// parts are kept identical here, so a fix in one cannot silently miss the other.

const ROOT = path.join(__dirname, '..', '..');
const source = (service: string, file: string) =>
  readFileSync(path.join(ROOT, service, 'src', file), 'utf8');

/** From the line that starts `start` to the first line after it that is `}`. */
function block(text: string, start: string): string {
  const from = text.indexOf(start);
  if (from < 0) throw new Error(`not found: ${start}`);
  const end = text.indexOf('\n}\n', from);
  return text.slice(from, end + 2);
}

describe('the parts both services keep identical', () => {
  it('when either lifecycle.ts changes, then the other must match it', () => {
    expect(source('frontend', 'lifecycle.ts')).toBe(source('backend', 'lifecycle.ts'));
  });

  it('when either NAME_FILE rule changes, then the other must match it', () => {
    const rule = (service: string) => {
      const config = source(service, 'config.ts');
      const doc = config.lastIndexOf('/**', config.indexOf('function withSecretFiles('));
      return block(config.slice(doc), '/**');
    };
    expect(rule('frontend')).toBe(rule('backend'));
    expect(rule('backend')).toContain('are both set; set only one');
  });
});
