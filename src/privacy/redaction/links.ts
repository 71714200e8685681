import { Detector, regexDetector } from './numbers';

/**
 * E-mail addresses, links to a person's profile or page, and handles. A bare domain is kept
 * ("nav.no", "https://www.husbanken.no/"): it names an institution, and analysts learn from
 * which sites respondents found help on. Anything after it (a path, a query, a fragment) may name
 * a person — facebook.com/kari.nordmann, linkedin.com/in/…, a link with ?id= — so such a link
 * goes whole.
 */

const EMAIL_ATOM = '[\\p{L}\\p{M}\\p{N}]';
// Local part and domain may be non-ASCII (RFC 6531/IDNA); the top-level domain is letters or punycode.
// Matching starts only at the beginning of a word, which keeps a long line without spaces linear.
const EMAIL = new RegExp(
  `(?<![\\p{L}\\p{M}\\p{N}._%+-])[\\p{L}\\p{M}\\p{N}._%+-]+@(?:${EMAIL_ATOM}(?:[\\p{L}\\p{M}\\p{N}-]*${EMAIL_ATOM})?\\.)+(?:xn--[a-z0-9-]+|[\\p{L}\\p{M}]{2,})`,
  'giu',
);

const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?';
// A scheme or www. makes anything a link; without them a domain needs a path to count, so that
// "f.eks." and "m.fl." are never taken for one.
const URL = new RegExp(
  `(?<![\\p{L}\\p{N}@._%+\\-/])(?:(https?:\\/\\/)|(www\\.))?(?:${LABEL}\\.)+(?:xn--[a-z0-9-]+|\\p{L}{2,})(?::\\d{2,5})?((?:[/?#][^\\s<>"'\\uFFFC]*)?)`,
  'giu',
);
// Closing punctuation after a link belongs to the sentence, not the link.
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"»”’]+$/u;

const personalLink: Detector = function* (text) {
  for (const m of text.matchAll(URL)) {
    const rest = m[3].replace(TRAILING_PUNCTUATION, '');
    if (rest === '' || rest === '/') continue;
    yield { start: m.index!, end: m.index! + m[0].length - (m[3].length - rest.length), kind: 'url' };
  }
};

// @handle, as on Instagram, TikTok, X and Telegram; not the @ of an e-mail (matched before).
const HANDLE = /(?<![\p{L}\p{M}\p{N}._%+\-@])@[\p{L}\p{N}_](?:[\p{L}\p{M}\p{N}._]*[\p{L}\p{M}\p{N}_])?/gu;
// "snap: kari_99", "facebook: Kari Nordmann", "whatsapp - abdi.h": a network's name and a colon or
// dash, then the user name (one token, or up to three capitalised words for a display name).
// The network's name is kept: analysts may want to know people ask to be contacted there.
const NETWORK_HANDLE =
  /(?<=(?<![\p{L}\p{M}])(?:facebook|fb|instagram|insta|ig|tiktok|snapchat|snap|telegram|whatsapp|viber|signal|imo|linkedin|twitter|vk|vkontakte|skype|messenger) ?[:\-–] ?)(?:[\p{L}\p{N}_][\p{L}\p{M}\p{N}._-]*[\p{L}\p{M}\p{N}_]|[\p{L}\p{N}])(?: \p{Lu}[\p{L}\p{M}-]*){0,2}/giu;

export const email = regexDetector(EMAIL, 'email');
export const links: Detector[] = [personalLink, regexDetector(HANDLE, 'handle', (m) => m.length >= 3), regexDetector(NETWORK_HANDLE, 'handle')];
