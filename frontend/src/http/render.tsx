import { h, type Children } from '../views/html';
import type { Request, Response } from 'express';
import type { RequestContext } from './types';
import { Layout } from '../views/layout';

export type Render = (
  req: Request,
  res: Response,
  title: string,
  body: Children,
  status?: number,
) => void;

/**
 * Every page goes through here: the layout, HTML escaping (./html), and no-store
 * because nearly every page shows personal data or carries a form token.
 */
export function createRenderer(stylesheet: string): Render {
  return (req, res, title, body, status = 200) => {
    const ctx = req.ctx as RequestContext | undefined;
    const chrome = {
      stylesheet,
      path: req.path,
      user: ctx?.session.user,
      csrfToken: ctx?.csrfToken,
      flash: ctx?.flash,
    };
    const html = (
      <Layout title={title} chrome={chrome}>
        {body}
      </Layout>
    ).value;
    // Written as a string with its byte length: express's res.send would first copy
    // a page of this size into a Buffer.
    const page = `<!doctype html>${html}`;
    res.statusCode = status;
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(page));
    res.end(page);
  };
}
