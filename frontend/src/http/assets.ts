import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

export interface Assets {
  /** `/assets/app.<hash>.css` for a source file name such as `app.css`. */
  href(name: string): string;
  middleware: (req: Request, res: Response, next: NextFunction) => void;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export const DEFAULT_ASSETS_DIR = path.join(__dirname, '..', '..', 'assets');

/**
 * Loads the static files once, names each by its content hash and serves them from
 * memory with a year-long immutable cache: a new stylesheet gets a new URL.
 */
export function loadAssets(dir: string = DEFAULT_ASSETS_DIR): Assets {
  const byUrl = new Map<string, Asset>();
  const hrefs = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    const ext = path.extname(file);
    const type = TYPES[ext];
    if (!type) continue;
    const body = readFileSync(path.join(dir, file));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const url = `/assets/${path.basename(file, ext)}.${hash}${ext}`;
    byUrl.set(url, { body, type, etag: `"${hash}"` });
    hrefs.set(file, url);
  }
  return {
    href(name) {
      const url = hrefs.get(name);
      if (!url) throw new Error(`asset not found: ${name}`);
      return url;
    },
    middleware: (req, res, next) => {
      const asset = byUrl.get(req.path);
      if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
      res.locals.route = '/assets/:file';
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.setHeader('ETag', asset.etag);
      res.type(asset.type);
      if (req.get('if-none-match') === asset.etag) {
        res.status(304).end();
        return;
      }
      res.send(asset.body);
    },
  };
}
