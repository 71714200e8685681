import fs from 'node:fs';
import { option } from '../cliArgs';
import type { CountryCode } from 'libphonenumber-js';
import { Config } from '../config';
import { Logger } from '../logger';
import { ensureSecret } from '../secret';
import { SurveyStore } from '../store/store';
import { outreachSurvey } from './outreachSurvey';
import { formatSummary, InvitationError, runInvitations } from './invitations';
import { SmsSender, twilioSender } from './twilioMessages';

export const INVITE_USAGE = `  invite SURVEY --numbers FILE.csv [--lang-column lang] [--number-column phone] [--campaign ID]
         [--send-at 2026-12-09T09:00:00Z] [--reminder-after 3d] [--rate 10] [--region NO] [--dry-run]
                            one SMS invitation per number in its language (Twilio Messaging Service);
                            numbers are kept only as HMACs; opted-out numbers are skipped
  invite SURVEY --numbers FILE.csv --campaign ID --remind [--dry-run]
                            the one reminder, to those invited at least --reminder-after ago who
                            neither wrote back nor opted out
  invite end ID             the campaign is over: its HMACs are deleted (opt-outs are kept)
`;

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  progress?: { update(done: number, total: number): void; stop(): void };
}

/** "3d", "36h", "2w" as hours. */
export function hoursOf(text: string): number | undefined {
  const m = /^(\d{1,4})\s*([hdw])$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * { h: 1, d: 24, w: 168 }[m[2] as 'h' | 'd' | 'w'];
}

/** `survey-bot invite …`. `send` replaces Twilio (tests use a real HTTP fake through twilioSender instead). */
export async function inviteCommand(args: string[], config: Config, store: SurveyStore, logger: Logger, io: Io, send?: SmsSender): Promise<number> {
  const fail = (message: string, code = 2) => {
    io.stderr.write(`${message}\n`);
    return code;
  };
  if (args[0] === 'end' && args[1]) {
    const n = await store.endCampaign(args[1]);
    io.stdout.write(`Campaign ${args[1]} ended: ${n} number HMAC(s) deleted; the opt-out list is kept.\n`);
    return 0;
  }
  const [surveyId] = args;
  const file = option(args, '--numbers');
  if (!surveyId || surveyId.startsWith('--') || !file) return fail(`Usage:\n${INVITE_USAGE}`);
  const dryRun = args.includes('--dry-run');
  const remind = args.includes('--remind');
  const sendAtText = option(args, '--send-at');
  const sendAt = sendAtText ? new Date(sendAtText) : undefined;
  if (sendAt && Number.isNaN(sendAt.getTime())) return fail(`--send-at must be a date and time such as 2026-12-09T09:00:00Z, not "${sendAtText}"`);
  const reminderText = option(args, '--reminder-after');
  const reminderAfterHours = reminderText ? hoursOf(reminderText) : undefined;
  if (reminderText && reminderAfterHours === undefined) return fail(`--reminder-after must be like 3d, 36h or 1w, not "${reminderText}"`);
  const perSecond = Number(option(args, '--rate') ?? 10);
  if (!Number.isFinite(perSecond) || perSecond < 0) return fail('--rate must be a number of messages per second (0: no limit)');
  const region = (option(args, '--region') ?? 'NO').toUpperCase() as CountryCode;
  if (!fs.existsSync(file)) return fail(`${file}: no such file`, 1);

  const survey = await outreachSurvey(store, config, surveyId);
  if ('problem' in survey)
    return fail(
      survey.problem === 'unknown'
        ? `No survey ${surveyId}; survey-bot survey list shows them.`
        : `Survey ${surveyId} is closed: nobody can answer an invitation to it.`,
      1,
    );
  const { texts } = survey;

  const { accountSid, authToken, messagingServiceSid, apiBase } = {
    accountSid: config.sms.twilioAccountSid,
    authToken: config.sms.twilioAuthToken,
    messagingServiceSid: config.sms.messagingServiceSid,
    apiBase: config.sms.apiBase,
  };
  let sender = send;
  if (!sender && !dryRun) {
    if (!accountSid || !authToken || !messagingServiceSid)
      return fail('Sending needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_MESSAGING_SERVICE_SID (or --dry-run to see what would be sent).', 1);
    sender = twilioSender({ accountSid, authToken, messagingServiceSid, apiBase });
  }
  const campaign = option(args, '--campaign') ?? `${surveyId}-${new Date().toISOString().slice(0, 10)}`;
  try {
    const summary = await runInvitations(
      {
        campaign,
        surveyId,
        csv: fs.readFileSync(file, 'utf8'),
        numberColumn: option(args, '--number-column') ?? 'phone',
        langColumn: option(args, '--lang-column') ?? 'lang',
        mode: remind ? 'remind' : 'invite',
        dryRun,
        sendAt,
        reminderAfterHours,
        perSecond,
        defaultRegion: region,
      },
      {
        store,
        secret: ensureSecret(config.surveySecret, config.dataDir, logger),
        texts,
        send: sender ?? (async () => ({ ok: false, reason: 'failed', message: 'dry run' })),
        now: () => new Date(),
        progress: io.progress?.update,
      },
    );
    io.progress?.stop();
    io.stdout.write(formatSummary(summary));
    return summary.failed.length ? 1 : 0;
  } catch (err) {
    io.progress?.stop();
    if (err instanceof InvitationError) return fail(err.message, 1);
    throw err;
  }
}
