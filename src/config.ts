import path from 'node:path';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';

/**
 * The whole environment, parsed once. Nothing else in the project reads `process.env`.
 * Names follow conventions users already know: `PORT` 3978 and the `MicrosoftApp*` variables
 * are the Bot Framework's own, so an Azure Bot Service deployment needs no translation.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)')
    .optional(),
  SURVEY_SECRET: z.string().min(32, 'must be at least 32 characters (use `openssl rand -hex 32`)').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STATE_TTL_DAYS: z.coerce.number().positive().max(365).default(7),
  PURGE_INTERVAL_MINUTES: z.coerce.number().positive().max(1440).default(60),
  DEFAULT_LOCALE: z.string().min(2).default('nb'),
  /** The survey a conversation starts on when its link, number or client names none. */
  DEFAULT_SURVEY: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'a survey id such as housing-help')
    .default('housing-help'),
  /** How often each process re-reads the survey registry (versions published or closed elsewhere). */
  SURVEY_REFRESH_SECONDS: z.coerce.number().int().min(0).max(3600).default(5),
  /** Named in the consent text as the one running the survey, e.g. "Husbanken" or "Bergen kommune". */
  SURVEY_ORGANISATION: z.string().min(2).max(120).optional(),
  /** The public base URL the SMS provider calls (https://survey.example.no); webhook signatures cover it. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16, 'must be the account auth token from the Twilio console').optional(),
  /** Needed only to send replies that miss the webhook deadline through Twilio's REST API. */
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits')
    .optional(),
  /** The Messaging Service invitations are sent through (`survey-bot invite`); it holds the sender. */
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, 'must look like MG followed by 32 hex digits')
    .optional(),
  /** Twilio's REST API; another base only for a test double. */
  TWILIO_API_BASE: z.url({ protocol: /^https?$/ }).default('https://api.twilio.com'),
  /** Answer the SMS webhook within this time; a slower turn's replies are sent afterwards. */
  SMS_REPLY_DEADLINE_MS: z.coerce.number().int().min(100).max(10000).default(1500),
  /**
   * Regions whose local phone formats redaction recognises, tried in order, e.g. "NO,PL,SO".
   * Unset: Norway, then each locale's meta.json `phoneRegions` (src/privacy/redact.ts).
   */
  REDACT_PHONE_REGIONS: z
    .string()
    .transform((s) =>
      s
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((c) => c.toUpperCase()),
    )
    .refine(
      (codes) => codes.length > 0 && codes.every((c) => isSupportedCountry(c)),
      'must be ISO 3166 alpha-2 region codes separated by commas, such as NO,PL,SO',
    )
    .optional(),
  /**
   * The smallest group the analyst HTTP API publishes (cells, exports, filtered selections and
   * their differences). Never below 3: with smaller groups, the people in one can tell each other
   * apart. Statistics Norway's usual 5 is the default. Requests cannot choose it.
   */
  ANALYST_MIN_K: z.coerce
    .number()
    .int('must be a whole number')
    .min(3, 'must be at least 3: with smaller groups, the people in a group can tell each other apart')
    .max(1000)
    .default(5),
  /**
   * Requests per minute per client address (IPv6: per /64) to the public page's Direct Line
   * entry points; 0 turns a limit off (when the reverse proxy limits instead).
   */
  DIRECTLINE_TOKENS_PER_MINUTE: z.coerce.number().int('must be a whole number').min(0).max(100000).default(20),
  DIRECTLINE_CONVERSATIONS_PER_MINUTE: z.coerce.number().int('must be a whole number').min(0).max(100000).default(30),
  /**
   * How many reverse proxies in front of the bot append to X-Forwarded-For. 0 (the default): the
   * header is ignored, since any client can send one; behind a proxy every client then has its address.
   */
  TRUST_PROXY: z.coerce.number().int('must be a whole number of proxies (0 ignores X-Forwarded-For)').min(0).max(10).default(0),
  /** How long an SQLite write waits for another process's lock before the turn is refused ("try again shortly"). */
  SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int('must be a whole number').min(0).max(60000).default(5000),
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppTenantId: z.string().default(''),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI', '']).default(''),
  /** Bot Framework's own overrides of where signing keys are fetched (sovereign clouds, tests). */
  ToBotFromChannelOpenIdMetadataUrl: z.url().optional(),
  ToBotFromEmulatorOpenIdMetadataUrl: z.url().optional(),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  /** Undefined until `ensureSecret` has read or generated it. */
  surveySecret?: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  stateTtlMs: number;
  purgeIntervalMs: number;
  defaultLocale: string;
  defaultSurvey: string;
  surveyRefreshMs: number;
  organisation?: string;
  publicUrl?: string;
  sms: { twilioAuthToken?: string; twilioAccountSid?: string; messagingServiceSid?: string; apiBase: string; replyDeadlineMs: number };
  /** Passed to `configureRedaction` at start-up. */
  redaction: { phoneRegions?: string[] };
  /** k for everything the analyst HTTP API publishes (`ANALYST_MIN_K`, at least 3). */
  analystMinK: number;
  /** Per-address limits on Direct Line's `tokens/generate` and `conversations` (per minute; 0 = off). */
  directLineLimits: { tokensPerMinute: number; conversationsPerMinute: number };
  /** Reverse proxies whose X-Forwarded-For entries are believed (`TRUST_PROXY`). */
  trustProxy: number;
  sqliteBusyTimeoutMs: number;
  botAuth: {
    MicrosoftAppId: string;
    MicrosoftAppPassword: string;
    MicrosoftAppTenantId: string;
    MicrosoftAppType: string;
    ToBotFromChannelOpenIdMetadataUrl?: string;
    ToBotFromEmulatorOpenIdMetadataUrl?: string;
  };
}

/** Thrown for a bad environment; its message is one line naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment (normally `process.env`) into a typed config, or throws `ConfigError`. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  // Empty strings come from `FOO= npm start` and shells; treat them as unset, not as values.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    const value = ['SURVEY_SECRET', 'MicrosoftAppPassword', 'TWILIO_AUTH_TOKEN'].includes(name) ? '' : ` (got "${String(cleaned[name] ?? '')}")`;
    throw new ConfigError(`Invalid environment variable ${name}: ${issue.message}${value}`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.DATABASE_URL.startsWith('file:') && !e.SURVEY_SECRET) {
    // Every process behind the load balancer must key respondents the same way; a secret that one
    // process generated into its own data directory would split a respondent's turns between
    // processes that do not recognise each other's state.
    throw new ConfigError(
      'Invalid environment variable SURVEY_SECRET: required with PostgreSQL, and the same in every bot process (generate one with `openssl rand -hex 32`)',
    );
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `file:${path.join(dataDir, 'survey.db')}`,
    surveySecret: e.SURVEY_SECRET,
    logLevel: e.LOG_LEVEL,
    stateTtlMs: e.STATE_TTL_DAYS * 24 * 3600 * 1000,
    purgeIntervalMs: e.PURGE_INTERVAL_MINUTES * 60 * 1000,
    defaultLocale: e.DEFAULT_LOCALE,
    defaultSurvey: e.DEFAULT_SURVEY,
    surveyRefreshMs: e.SURVEY_REFRESH_SECONDS * 1000,
    organisation: e.SURVEY_ORGANISATION,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    sms: {
      twilioAuthToken: e.TWILIO_AUTH_TOKEN,
      twilioAccountSid: e.TWILIO_ACCOUNT_SID,
      messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
      apiBase: e.TWILIO_API_BASE,
      replyDeadlineMs: e.SMS_REPLY_DEADLINE_MS,
    },
    redaction: { phoneRegions: e.REDACT_PHONE_REGIONS },
    analystMinK: e.ANALYST_MIN_K,
    directLineLimits: { tokensPerMinute: e.DIRECTLINE_TOKENS_PER_MINUTE, conversationsPerMinute: e.DIRECTLINE_CONVERSATIONS_PER_MINUTE },
    trustProxy: e.TRUST_PROXY,
    sqliteBusyTimeoutMs: e.SQLITE_BUSY_TIMEOUT_MS,
    botAuth: {
      MicrosoftAppId: e.MicrosoftAppId,
      MicrosoftAppPassword: e.MicrosoftAppPassword,
      MicrosoftAppTenantId: e.MicrosoftAppTenantId,
      MicrosoftAppType: e.MicrosoftAppType,
      ...(e.ToBotFromChannelOpenIdMetadataUrl ? { ToBotFromChannelOpenIdMetadataUrl: e.ToBotFromChannelOpenIdMetadataUrl } : {}),
      ...(e.ToBotFromEmulatorOpenIdMetadataUrl ? { ToBotFromEmulatorOpenIdMetadataUrl: e.ToBotFromEmulatorOpenIdMetadataUrl } : {}),
    },
  };
}
