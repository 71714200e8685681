/**
 * SMS length and cost. A message in the GSM 03.38 alphabet costs one segment per 160 characters
 * (153 when concatenated); anything else is sent as UCS-2, 70 per segment (67 concatenated).
 * Prepaid respondents and the survey's budget both pay per segment, so every message the bot
 * sends by SMS must stay within `SEGMENT_BUDGET`.
 */

// GSM 03.38 basic character set, and the extension table (each costs two septets).
const GSM_BASIC = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** At most 2 segments in GSM-7, 3 in UCS-2. */
export const SEGMENT_BUDGET: Record<SmsEncoding, number> = { 'GSM-7': 2, 'UCS-2': 3 };

export function encodingOf(text: string): SmsEncoding {
  for (const ch of text) if (!GSM_BASIC.has(ch) && !GSM_EXTENDED.has(ch)) return 'UCS-2';
  return 'GSM-7';
}

/** Code units the network counts: septets for GSM-7, UTF-16 units for UCS-2 (an emoji is two). */
export function units(text: string, encoding: SmsEncoding = encodingOf(text)): number {
  if (encoding === 'UCS-2') return text.length;
  let n = 0;
  for (const ch of text) n += GSM_EXTENDED.has(ch) ? 2 : 1;
  return n;
}

export function segments(text: string): { encoding: SmsEncoding; segments: number } {
  const encoding = encodingOf(text);
  const n = units(text, encoding);
  const [single, multi] = encoding === 'GSM-7' ? [160, 153] : [70, 67];
  return { encoding, segments: n <= single ? 1 : Math.ceil(n / multi) };
}

export function fitsBudget(text: string): boolean {
  const { encoding, segments: s } = segments(text);
  return s <= SEGMENT_BUDGET[encoding];
}

/**
 * Splits a message into SMS-sized parts at line breaks, so a long question with many numbered
 * options goes out as several messages, each within budget, and no option is cut in two.
 * A single line over budget (which the locale tests forbid) is split at spaces as a last resort.
 */
export function splitForSms(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  const push = (line: string) => {
    const candidate = current ? `${current}\n${line}` : line;
    if (fitsBudget(candidate)) {
      current = candidate;
      return;
    }
    if (current) parts.push(current);
    current = '';
    if (fitsBudget(line)) {
      current = line;
      return;
    }
    for (const word of line.split(' ')) {
      const next = current ? `${current} ${word}` : word;
      if (fitsBudget(next)) current = next;
      else {
        if (current) parts.push(current);
        current = word;
      }
    }
  };
  for (const line of text.split('\n')) push(line);
  if (current) parts.push(current);
  return parts;
}
