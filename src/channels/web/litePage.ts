import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Activity } from 'botbuilder';
import { Request, Response } from 'restify';
import { escapeHtml, fill, jsonForScript, setPageHeaders } from '../../htmlTemplate';
import { safeError } from '../../logger';
import { Texts } from '../../language/texts';
import { projectRoot } from '../../paths';
import { ChannelDeps } from '../channelDeps';
import { DIRECT_LINE_BASE, DirectLineServer, OpenedConversation } from '../directline/directLine';
import { acceptedEncoding, compress } from './compression';
import { acceptedLanguage, startLink } from './startLink';
import { StaticFile } from './staticFile';

const ASSETS = path.join(projectRoot, 'src', 'channels', 'web', 'assets');

/** The page's texts in one language: what the script needs to follow a switch without a request. */
interface LiteLocale {
  tag: string;
  dir: 'ltr' | 'rtl';
  title: string;
  privacy: string;
  placeholder: string;
  send: string;
  sendFailed: string;
  connecting: string;
  unreachable: string;
  expired: string;
  restart: string;
}

/**
 * The light chat page: plain HTML, a stylesheet inlined (a request less, which on a slow network
 * is two seconds less) and one small cached script (assets/lite.js) that speaks this server's
 * Direct Line subset. The server opens the conversation while it renders the page and writes the
 * greeting into the HTML, so the respondent reads it after one round trip instead of four (page,
 * script, token, conversation, first poll); the script, when it arrives, only takes over.
 *
 * Opening costs what `POST conversations` costs: one respondent state (no response: that starts at
 * consent) and the greeting's outbox rows, both expiring as any conversation's do. It is counted
 * against the same per-address limits, and a browser's prefetch, which may never be shown, opens
 * nothing: the script then opens the conversation itself.
 */
export function createLitePage(deps: ChannelDeps, directLine: DirectLineServer): { page: (req: Request, res: Response) => Promise<void>; script: StaticFile } {
  const { texts, logger } = deps;
  const template = fs.readFileSync(path.join(ASSETS, 'lite.html'), 'utf8');
  const css = fs.readFileSync(path.join(ASSETS, 'lite.css'), 'utf8').trim();
  const styleHash = `sha256-${crypto.createHash('sha256').update(css).digest('base64')}`;
  const script = new StaticFile(path.join(ASSETS, 'lite.js'), 'application/javascript; charset=utf-8');
  const locales = texts.locales.list.map((l) => liteLocale(texts, l.tag));
  const supported = locales.map((l) => l.tag);

  const page = async (req: Request, res: Response): Promise<void> => {
    const start = startLink(req, supported);
    // The greeting's language: the link's, else the browser's when it is one of ours; without
    // one the bot greets with its language menu.
    const greetIn = start.lang ?? acceptedLanguage(req.header('accept-language'), supported);
    const current = locales.find((l) => l.tag === (greetIn ?? texts.defaultLocale))!;
    let opened: OpenedConversation | undefined;
    if (!isPrefetch(req)) {
      try {
        opened = await directLine.open(req, start.survey, greetIn, start.src);
      } catch (err) {
        // The page still renders; its script opens the conversation and shows what goes wrong.
        logger.warn({ event: 'lite_page_open_failed', error: safeError(err) }, 'light page rendered without a conversation');
      }
    }
    const config = {
      defaultLocale: texts.defaultLocale,
      directLine: DIRECT_LINE_BASE,
      locale: current.tag,
      ...(greetIn ? { greet: greetIn } : {}),
      locales,
      ...start,
      ...(opened ? { conversation: { conversationId: opened.conversationId, token: opened.token, watermark: opened.watermark } } : {}),
    };
    const transcript = opened ? renderTranscript(opened.activities) : { messages: '', actions: '' };
    const html = fill(template, {
      lang: escapeHtml(current.tag),
      dir: current.dir,
      title: escapeHtml(current.title),
      privacy: escapeHtml(current.privacy),
      style: `<style>${css}</style>`,
      config: jsonForScript(config),
      scriptHash: script.hash,
      messages: transcript.messages,
      actions: transcript.actions,
      status: opened ? '' : escapeHtml(current.connecting),
      placeholder: escapeHtml(current.placeholder),
      send: escapeHtml(current.send),
      noscript: escapeHtml(texts.t(current.tag, 'bot:web.noscript')),
    });
    const encoding = acceptedEncoding(req);
    // The token is in the page: it must never come from a cache, shared or the browser's (no-store).
    setPageHeaders(res, liteContentSecurityPolicy(styleHash));
    res.setHeader('Vary', 'Accept-Encoding, Accept-Language');
    if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
    res.sendRaw(200, compress(Buffer.from(html, 'utf8'), encoding, false));
  };
  return { page, script };
}

/** Nothing but this server: its script, the one inlined stylesheet (by hash), XHR to Direct Line. */
export function liteContentSecurityPolicy(styleHash: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src '${styleHash}'`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Chromium's speculative loads say so (Sec-Purpose; Purpose before it): no conversation for a page that may never be seen. */
function isPrefetch(req: Request): boolean {
  return /prefetch|prerender/i.test(`${req.header('sec-purpose') ?? ''} ${req.header('purpose') ?? ''}`);
}

/**
 * The conversation so far as the script renders it (the same elements and classes as
 * assets/lite.js makes): one item per message, and the newest bot message's suggested actions as
 * buttons, disabled until the script is there to send them.
 */
export function renderTranscript(activities: Partial<Activity>[]): { messages: string; actions: string } {
  const messages = activities
    .filter((a) => a.type === 'message' && a.text)
    .map((a) => `<li class="msg ${a.from?.role === 'user' ? 'user' : 'bot'}">${escapeHtml(a.text!)}</li>`)
    .join('');
  const last = activities.filter((a) => a.type === 'message' && a.from?.role !== 'user').pop();
  const actions = (last?.suggestedActions?.actions ?? [])
    .filter((a) => a.type === 'imBack' && typeof a.value === 'string')
    .map(
      (a) =>
        `<button type="button" class="action" data-value="${escapeHtml(a.value as string)}" disabled>${escapeHtml(a.title ?? (a.value as string))}</button>`,
    )
    .join('');
  return { messages, actions };
}

function liteLocale(texts: Texts, tag: string): LiteLocale {
  const t = (key: string) => texts.t(tag, `bot:web.${key}`);
  return {
    tag,
    dir: texts.meta(tag).dir,
    title: t('title'),
    privacy: t('privacy'),
    placeholder: t('placeholder'),
    send: t('send'),
    sendFailed: t('sendFailed'),
    connecting: t('connecting'),
    unreachable: t('unreachable'),
    expired: t('expired'),
    restart: t('restart'),
  };
}
