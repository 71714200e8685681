import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Request, Response, Server } from 'restify';
import { Texts } from '../../language/texts';
import { projectRoot } from '../../paths';
import { ChannelDeps } from '../channelDeps';
import { DIRECT_LINE_BASE, DirectLineServer } from '../directline/directLine';
import { createLitePage } from './litePage';
import { StaticFile } from './staticFile';
import { escapeHtml, fill, jsonForScript, setPageHeaders } from '../../htmlTemplate';
import { fromAcceptLanguage, startLink } from './startLink';

// Where it has always been imported from.
export { fromAcceptLanguage } from './startLink';

/** The page's own files; read from the project root so `src/` (tests) and `dist/` (built) serve the same. */
export const WEB_ASSETS_DIR = path.join(projectRoot, 'src', 'channels', 'web', 'assets');
/** The minimal bundle: no Adaptive Cards, speech or Markdown, half the size of the full one. */
export const WEBCHAT_BUNDLE = path.join(projectRoot, 'node_modules', 'botframework-webchat', 'dist', 'webchat-minimal.js');

/** Web Chat's own UI strings that the page replaces with the project's translations, when a locale has them. */
const WEBCHAT_STRINGS: Record<string, string> = {
  TEXT_INPUT_PLACEHOLDER: 'web.placeholder',
  TEXT_INPUT_SEND_BUTTON_ALT: 'web.send',
  // What a respondent sees while the database cannot take a turn (Direct Line answers 503). Web
  // Chat has no translation of it for nn, se, so, ti, fa, prs, ps, ur or ckb. Markdown: the
  // `[RETRY]` reference is Web Chat's retry link and must stay as it is.
  ACTIVITY_STATUS_SEND_FAILED_RETRY: 'web.sendFailed',
};

/** What the page script needs per language: direction for `<html dir>`, and its texts. */
interface PageLocale {
  tag: string;
  dir: 'ltr' | 'rtl';
  endonym: string;
  title: string;
  privacy: string;
  webchat: Record<string, string>;
}

/**
 * `GET /` and the start links `/s/<survey>`: the respondent's page. By default the light page
 * (src/channels/web/litePage.ts), a fortieth of Web Chat's weight, which a cheap phone on a slow
 * network shows in seconds; with `?ui=webchat`, Bot Framework Web Chat talking to this server's
 * Direct Line subset (below). Every text on it comes from locales/ (`bot:web.*`), for every
 * language at once, so the page can follow the language the respondent picks in the chat without
 * another request.
 *
 * Security: a strict Content-Security-Policy (scripts and connections to this origin only; Web
 * Chat's CSS-in-JS gets a per-response nonce), no cookies, no third-party requests, no referrer.
 */
export function registerWebPage(server: Server, deps: ChannelDeps, directLine: DirectLineServer): void {
  const { texts } = deps;
  const template = fs.readFileSync(path.join(WEB_ASSETS_DIR, 'index.html'), 'utf8');
  const files = {
    webchat: new StaticFile(WEBCHAT_BUNDLE, 'application/javascript; charset=utf-8'),
    page: new StaticFile(path.join(WEB_ASSETS_DIR, 'page.js'), 'application/javascript; charset=utf-8'),
    css: new StaticFile(path.join(WEB_ASSETS_DIR, 'page.css'), 'text/css; charset=utf-8'),
  };
  const locales = texts.locales.list.map((l) => pageLocale(texts, l.tag));
  const supported = locales.map((l) => l.tag);

  const page = async (req: Request, res: Response) => {
    const nonce = crypto.randomBytes(16).toString('base64');
    const start = startLink(req, supported);
    // Only a first guess for the server-rendered texts; the script decides from the link's `lang`,
    // navigator.languages and the language the respondent chooses.
    const lng = start.lang ?? fromAcceptLanguage(req.header('accept-language'), supported, texts.defaultLocale);
    const current = locales.find((l) => l.tag === lng)!;
    const config = { defaultLocale: texts.defaultLocale, directLine: DIRECT_LINE_BASE, nonce, locales, ...start };
    const html = fill(template, {
      lang: escapeHtml(current.tag),
      dir: current.dir,
      title: escapeHtml(current.title),
      privacy: escapeHtml(current.privacy),
      noscript: escapeHtml(texts.t(lng, 'bot:web.noscript')),
      config: jsonForScript(config),
      webchatHash: files.webchat.hash,
      pageHash: files.page.hash,
      cssHash: files.css.hash,
    });
    // The nonce is per response: the page must never come from a cache (no-store).
    setPageHeaders(res, contentSecurityPolicy(nonce));
    res.sendRaw(200, html);
  };
  const lite = createLitePage(deps, directLine);
  const either = async (req: Request, res: Response) =>
    new URLSearchParams(req.getQuery() ?? '').get('ui') === 'webchat' ? page(req, res) : lite.page(req, res);
  server.get('/', either);
  // A survey's start link, as posters and invitations print it: /s/<survey>?lang=so
  server.get('/s/:survey', either);

  server.get('/assets/webchat.js', async (req: Request, res: Response) => files.webchat.send(req, res));
  server.get('/assets/page.js', async (req: Request, res: Response) => files.page.send(req, res));
  server.get('/assets/page.css', async (req: Request, res: Response) => files.css.send(req, res));
  server.get('/assets/lite.js', async (req: Request, res: Response) => lite.script.send(req, res));
  // Browsers ask for it on every page; an empty answer saves a 404 in every log.
  server.get('/favicon.ico', async (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'public, max-age=604800');
    res.sendRaw(204, '');
  });
}

const EMPTY_STYLE_HASH = `sha256-${crypto.createHash('sha256').update('').digest('base64')}`;

/**
 * `default-src 'none'` and then only what the page uses: its own scripts and styles, XHR to this
 * origin (Direct Line), and images the page itself makes (Web Chat draws its spinner and typing
 * animations as `blob:` URLs). Web Chat's CSS-in-JS (emotion) gets the per-response nonce.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // The hash is that of an empty style element. Web Chat 4.18's transcript does not hand its
    // nonce to react-scroll-to-bottom, whose emotion instance inserts an empty <style> and fills
    // it through CSSOM insertRule (which CSP does not govern). Without it the transcript loses
    // `overflow-y: auto` and cannot scroll. An empty element can carry no style of its own.
    `style-src 'self' 'nonce-${nonce}' '${EMPTY_STYLE_HASH}'`,
    "connect-src 'self'",
    "img-src 'self' blob:",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function pageLocale(texts: Texts, tag: string): PageLocale {
  const meta = texts.meta(tag);
  const webchat: Record<string, string> = {};
  // Web Chat has good translations of its own for many languages: replace them only with a text
  // this locale really has, not with a fallback language's.
  for (const [id, key] of Object.entries(WEBCHAT_STRINGS)) if (!texts.fallsBack(tag, 'bot', key)) webchat[id] = texts.t(tag, `bot:${key}`);
  return { tag, dir: meta.dir, endonym: meta.endonym, title: texts.t(tag, 'bot:web.title'), privacy: texts.t(tag, 'bot:web.privacy'), webchat };
}
