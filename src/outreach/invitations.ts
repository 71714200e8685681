import { parse } from 'csv-parse/sync';
import { parsePhoneNumberFromString, CountryCode } from 'libphonenumber-js/max';
import { keyedHash } from '../identity';
import { negotiateLocale } from '../bot/negotiateLocale';
import { Texts } from '../language/texts';
import { floorHour } from '../period';
import { OutreachStore, InvitationRecord } from '../store/outreachStore';
import { segments, SmsEncoding } from '../text/smsText';
import { SmsSender } from './twilioMessages';

/**
 * SMS invitations to a survey, one per number in its own language, from a list the operator
 * keeps (a CSV with a number and a language column). Nothing of the list is stored: a number is
 * kept only as an HMAC with the server secret — to honour opt-outs in every later campaign and to
 * send at most one reminder, never to someone who wrote back or opted out — and a campaign's
 * HMACs are deleted when it ends (`survey-bot invite end`).
 */
export interface InvitationRun {
  campaign: string;
  surveyId: string;
  /** The CSV text; the header names the columns. */
  csv: string;
  numberColumn: string;
  langColumn: string;
  /** `invite` sends the invitations; `remind` the one reminder, to those due and silent. */
  mode: 'invite' | 'remind';
  /** Prints what would be sent, sends nothing and writes nothing. */
  dryRun: boolean;
  /** For Twilio's scheduled sending (Messaging Service, 15 minutes to 35 days ahead). */
  sendAt?: Date;
  /** Hours after the invitation before a reminder is due (kept with the campaign). */
  reminderAfterHours?: number;
  /** Messages per second at most (0: as fast as the API takes them). */
  perSecond: number;
  /** Where a number written without its country code is (ISO 3166). */
  defaultRegion: CountryCode;
}

export interface InvitationDeps {
  store: OutreachStore;
  secret: string;
  /** The survey version's texts (its title, minutes, languages) and the bot's words. */
  texts: Texts;
  send: SmsSender;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
  progress?: (done: number, total: number) => void;
}

export interface LanguageSegments {
  language: string;
  encoding: SmsEncoding;
  /** Segments per message. */
  segments: number;
  messages: number;
  text: string;
}

export interface InvitationSummary {
  campaign: string;
  mode: 'invite' | 'remind';
  dryRun: boolean;
  /** Rows in the file. */
  rows: number;
  sent: number;
  failed: { line: number; reason: string }[];
  skipped: { optedOut: number; duplicate: number; alreadyInvited: number; notDue: number; replied: number; notInvited: number; remindedBefore: number };
  invalid: { line: number; reason: string }[];
  /** A language the survey is not offered in: the message went in the survey's first language. */
  languageFallback: number;
  byLanguage: LanguageSegments[];
}

/** The key a number is kept under: one HMAC per number, for opt-outs and invitations alike. */
export function numberKey(secret: string, e164: string): string {
  return keyedHash(secret, 'sms-number', e164);
}

interface Recipient {
  line: number;
  e164: string;
  key: string;
  language: string;
}

export async function runInvitations(run: InvitationRun, deps: InvitationDeps): Promise<InvitationSummary> {
  const { texts } = deps;
  const summary: InvitationSummary = {
    campaign: run.campaign,
    mode: run.mode,
    dryRun: run.dryRun,
    rows: 0,
    sent: 0,
    failed: [],
    skipped: { optedOut: 0, duplicate: 0, alreadyInvited: 0, notDue: 0, replied: 0, notInvited: 0, remindedBefore: 0 },
    invalid: [],
    languageFallback: 0,
    byLanguage: [],
  };
  const records = parse(run.csv, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: true }) as {
    record: Record<string, string>;
    info: { lines: number };
  }[];
  summary.rows = records.length;
  if (records.length && !(run.numberColumn in records[0].record)) throw new InvitationError(`The file has no "${run.numberColumn}" column (--number-column).`);
  if (records.length && !(run.langColumn in records[0].record)) throw new InvitationError(`The file has no "${run.langColumn}" column (--lang-column).`);

  const first = texts.languages[0] ?? texts.defaultLocale;
  const seen = new Set<string>();
  const recipients: Recipient[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    const raw = record[run.numberColumn] ?? '';
    const phone = raw ? parsePhoneNumberFromString(raw, run.defaultRegion) : undefined;
    // Mobile or fixed-line-or-mobile only: a landline cannot receive an SMS.
    const type = phone?.getType();
    if (!phone || !phone.isValid() || (type !== undefined && type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE')) {
      summary.invalid.push({ line, reason: !raw ? 'no number' : !phone || !phone.isValid() ? 'not a valid phone number' : 'not a mobile number' });
      continue;
    }
    const e164 = phone.number;
    if (seen.has(e164)) {
      summary.skipped.duplicate++;
      continue;
    }
    seen.add(e164);
    const asked = record[run.langColumn] ?? '';
    const language = negotiateLocale({ activityLocale: asked }, [...texts.languages], '') || first;
    if (language === first && asked && negotiateLocale({ activityLocale: asked }, [...texts.languages], '') === '') summary.languageFallback++;
    recipients.push({ line, e164, key: numberKey(deps.secret, e164), language });
  }

  const optedOut = await deps.store.optedOut(recipients.map((r) => r.key));
  const campaign = await deps.store.readCampaign(run.campaign);
  if (run.mode === 'remind' && !campaign) throw new InvitationError(`No campaign "${run.campaign}" to remind: send its invitations first.`);
  if (campaign && campaign.surveyId !== run.surveyId)
    throw new InvitationError(`Campaign "${run.campaign}" is for survey ${campaign.surveyId}, not ${run.surveyId}.`);
  const invited = await deps.store.invitations(
    run.campaign,
    recipients.map((r) => r.key),
  );
  const now = deps.now();
  const due = campaign?.reminderAfterHours !== undefined ? new Date(now.getTime() - campaign.reminderAfterHours * 3600_000) : undefined;

  const toSend = recipients.filter((r) => {
    if (optedOut.has(r.key)) return void summary.skipped.optedOut++;
    const inv = invited.get(r.key);
    if (run.mode === 'invite') {
      if (inv) return void summary.skipped.alreadyInvited++;
      return true;
    }
    if (!inv) return void summary.skipped.notInvited++;
    if (inv.state === 'replied') return void summary.skipped.replied++;
    if (inv.state === 'reminded') return void summary.skipped.remindedBefore++;
    if (!due || inv.invitedAt > due) return void summary.skipped.notDue++;
    // A reminder goes in the language the invitation went in.
    r.language = inv.language;
    return true;
  });

  const key = run.mode === 'invite' ? 'bot:sms.invite' : 'bot:sms.reminder';
  const bodyFor = new Map<string, string>();
  const body = (lng: string) => {
    let b = bodyFor.get(lng);
    if (!b) {
      const stop = (texts.list(lng, 'bot:keywords.opt_out')[0] ?? 'STOP').toLocaleUpperCase(lng);
      bodyFor.set(lng, (b = texts.t(lng, key, { ...texts.surveyVars(lng), stop })));
    }
    return b;
  };
  const counts = new Map<string, number>();
  for (const r of toSend) counts.set(r.language, (counts.get(r.language) ?? 0) + 1);
  summary.byLanguage = [...counts].map(([language, messages]) => {
    const text = body(language);
    const s = segments(text);
    return { language, encoding: s.encoding, segments: s.segments, messages, text };
  });
  if (run.dryRun) return summary;

  if (!campaign)
    await deps.store.saveCampaign({ id: run.campaign, surveyId: run.surveyId, createdAt: floorHour(now), reminderAfterHours: run.reminderAfterHours });
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((res) => setTimeout(res, ms)));
  const gap = run.perSecond > 0 ? 1000 / run.perSecond : 0;
  const pending: InvitationRecord[] = [];
  const flush = async () => {
    if (pending.length) await deps.store.saveInvitations(run.campaign, pending.splice(0));
  };
  let next = Date.now();
  for (const [i, r] of toSend.entries()) {
    if (gap) {
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
      next = Math.max(next, Date.now()) + gap;
    }
    const result = await deps.send({ to: r.e164, body: body(r.language), sendAt: run.sendAt });
    if (result.ok) {
      summary.sent++;
      pending.push({
        key: r.key,
        language: r.language,
        state: run.mode === 'invite' ? 'invited' : 'reminded',
        invitedAt: invited.get(r.key)?.invitedAt ?? floorHour(now),
      });
    } else if (result.reason === 'opted_out') {
      // Unsubscribed at Twilio's level: on our list too, so no campaign tries again.
      summary.skipped.optedOut++;
      await deps.store.setOptOut(r.key, true, floorHour(now));
    } else if (result.reason === 'invalid') summary.invalid.push({ line: r.line, reason: `Twilio: ${result.message}` });
    else summary.failed.push({ line: r.line, reason: result.message });
    if (pending.length >= 200) await flush();
    deps.progress?.(i + 1, toSend.length);
  }
  await flush();
  summary.invalid.sort((a, b) => a.line - b.line);
  return summary;
}

export class InvitationError extends Error {
  override name = 'InvitationError';
}

/** The summary as the operator reads it. */
export function formatSummary(s: InvitationSummary): string {
  const out: string[] = [];
  const what = s.mode === 'invite' ? 'invitations' : 'reminders';
  out.push(`${s.dryRun ? 'Dry run, nothing sent' : `Campaign ${s.campaign}`}: ${s.rows} rows.`);
  out.push(`${s.dryRun ? 'Would send' : 'Sent'}: ${s.dryRun ? s.byLanguage.reduce((n, l) => n + l.messages, 0) : s.sent} ${what}.`);
  if (!s.dryRun) out.push(`Failed: ${s.failed.length}.`);
  out.push(`Skipped as opted out: ${s.skipped.optedOut}.`);
  const other = Object.entries(s.skipped).filter(([k, n]) => k !== 'optedOut' && n > 0);
  if (other.length) out.push(`Skipped: ${other.map(([k, n]) => `${n} ${k.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)}`).join(', ')}.`);
  out.push(`Invalid numbers: ${s.invalid.length}${s.invalid.length ? ` (lines ${s.invalid.map((i) => `${i.line}: ${i.reason}`).join('; ')})` : ''}.`);
  if (s.languageFallback) out.push(`Languages the survey is not offered in, sent in its first language: ${s.languageFallback}.`);
  for (const l of s.byLanguage)
    out.push(
      `  ${l.language}: ${l.messages} message(s), ${l.segments} ${l.encoding} segment(s) each${s.dryRun ? `\n    ${l.text.replace(/\n/g, '\n    ')}` : ''}`,
    );
  for (const f of s.failed) out.push(`  line ${f.line}: ${f.reason}`);
  return `${out.join('\n')}\n`;
}
