import { z } from 'zod';

/**
 * Where a respondent came from: the poster, leaflet or invitation that brought them, so that
 * outreach can be judged by what it brings (issue 21). A survey declares its sources (`sources`
 * in its definition, the `sources` cell of its XLSForm settings sheet); a response's source is
 * always one of those, or one of two fixed values:
 *
 * - `direct`: nothing was named (a link without `src`, a typed address, a Bot Framework client);
 * - `other`: something was named that the survey does not declare, or that is not a source name
 *   at all (too long, odd characters). The value itself is dropped: a link's parameter is
 *   whatever anyone typed, and kept verbatim it could be a name or a phone number.
 *
 * The channels name what they know (src/channels/: the start link's `src`, `sms` or
 * `sms-invitation`); the bot settles the source once, when the survey is chosen, and only the
 * settled value is kept in the respondent state and stored with the response.
 */

/** Nothing named where the respondent came from. */
export const DIRECT = 'direct';
/** Something named that is not a declared source of the survey. */
export const OTHER = 'other';
/** What the SMS channel names: a reply to a campaign's invitation, or a text sent unprompted. */
export const SMS_INVITATION = 'sms-invitation';
export const SMS = 'sms';

/** A source's name as a link carries it (`?src=nav-grunerlokka-poster`). */
export const SOURCE_NAME = /^[a-z0-9][a-z0-9-]{0,47}$/;

/** A declared source: a name in the link's shape, neither of the fixed values. */
export const sourceName = z
  .string()
  .regex(SOURCE_NAME, 'a source is lower-case letters, digits and hyphens, at most 48')
  .refine((s) => s !== DIRECT && s !== OTHER, `"${DIRECT}" and "${OTHER}" are given, not declared`);

/**
 * What a start link's `src` parameter names, checked only for its shape: undefined when there is
 * none, the name when it could be a source, `other` for anything else (oversized, control
 * characters, a repeated parameter). Which sources the survey declares is settled later, by
 * {@link responseSource}, when the survey is known.
 */
export function linkSource(raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  return typeof raw === 'string' && SOURCE_NAME.test(raw) ? raw : OTHER;
}

/** A response's source: `asked` when the survey declares it, `direct` when nothing was named, else `other`. */
export function responseSource(declared: readonly string[] | undefined, asked: string | undefined): string {
  if (asked === undefined) return DIRECT;
  return declared?.includes(asked) ? asked : OTHER;
}
