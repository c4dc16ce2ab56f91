import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; `npx playwright install` cannot reach its download host here. */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The Chromium switch that trusts one certificate (by the SHA-256 of its public key)
 * as if a CA the browser knows had issued it: the page is a secure context, with
 * nothing of an "ignore certificate errors" mode, so Secure cookies and HSTS behave as
 * they would on a real site.
 */
export function trustCertificate(certFile: string): string {
  const spki = new X509Certificate(fs.readFileSync(certFile)).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  return `--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`;
}

/** Launches Chromium, or fails (never skips) with the package that is missing. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install the Debian package "chromium" (apt-get install chromium); ` +
        'the browser journeys cannot run without it.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...extraArgs] });
}
