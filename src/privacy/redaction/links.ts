import { Lexicon } from './lexicon';
import { Detector, regexDetector } from './numbers';
import { keySet, phrasesPattern } from './words';

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

// Top-level domains and mail services people name when they spell an address out, also as they
// are said in Cyrillic, Arabic and Persian script ("точка ру", "دوت كوم", "جيميل").
const TLDS = new Set(
  [
    'no com net org se dk fi is uk de nl be fr it es pl lt lv ee ua ru by kz so er et sy iq ir af pk th tr eg sd ps lb jo sa ae qa ch at io info biz eu me co us ca au nz in bd np lk cn jp kr',
    'ру ком нет орг юа укр рф но',
    'كوم نت اورغ كم',
    'کام نت',
  ]
    .join(' ')
    .split(' '),
);
const PROVIDERS = new Set(
  [
    'gmail hotmail outlook yahoo live icloud online yandex mail msn aol protonmail proton gmx wp onet interia o2 ukr meta rambler inbox bk list',
    'гмейл гмеил джимейл жмейл яндекс мейл мэйл майл рамблер укрнет хотмейл',
    'جيميل جيمايل هوتميل هوتمايل ياهو اوتلوك',
    'جیمیل جیمایل هاتمیل یاهو',
  ]
    .join(' ')
    .split(' '),
);

/**
 * E-mail addresses written out so that no "@" or "." appears: "ola at example dot no", "ola (at)
 * example.no", "ola krøllalfa example punktum no", "anna małpa wp kropka pl", "ола собака mail
 * точка ru". The words for "@" and "." are the locales' `emailAt` and `emailDot`; brackets around
 * them ("(at)", "[dot]") are accepted, so is "@" with spaces around it. The address must end in a
 * top-level domain or name a mail service. An "at" that is also an ordinary word (English "at",
 * Norwegian "at" = that) counts only when the rest is spelled out too ("dot") or names a mail
 * service, so "sa at nav.no har skjemaet" stays.
 */
export function spelledEmail(lexicon: Lexicon): Detector {
  const { emailAt, emailDot, nameStops } = lexicon.lists;
  const ordinary = keySet(nameStops);
  const atWords = [...new Set(emailAt)];
  const dotWords = [...new Set(emailDot)];
  const at = atWords.length ? phrasesPattern(atWords) : '(?!)';
  const dot = dotWords.length ? phrasesPattern(dotWords) : '(?!)';
  const open = '[(\\[{<]';
  const close = '[)\\]}>]';
  const word = (w: string) => `(?<![\\p{L}\\p{M}])(?:${w})(?![\\p{L}\\p{M}])`;
  // The separators, with what they are made of: bracketed or spaced words, or the sign itself.
  const AT = new RegExp(` *${open} *(?:${at}|@) *${close} *| +${word(at)} +| *@ +| +@ *`, 'giu');
  // A spelled dot, a bracketed one, or a dot with spaces on both sides ("gmail . com").
  const DOT_WORD = ` *${open} *(?:${dot}|\\.) *${close} *| +${word(dot)} +| +\\. +`;
  const DOT = `(?:${DOT_WORD}|\\.)`;
  const LOCAL = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}._%+-])[\\p{L}\\p{N}_%+-]+(?:${DOT}[\\p{L}\\p{N}_%+-]+){0,3}$`, 'iu');
  const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?';
  const DOMAIN = new RegExp(`${LABEL}(?:${DOT}${LABEL}){0,4}`, 'iuy');
  const SPELLED_DOT = new RegExp(DOT_WORD, 'iu');
  const LABELS = new RegExp(LABEL, 'giu');
  const MAX_LOCAL = 80;

  return function* (text) {
    for (const m of text.matchAll(AT)) {
      const sep = m[0].trim();
      const local = LOCAL.exec(text.slice(Math.max(0, m.index! - MAX_LOCAL), m.index!));
      if (!local) continue;
      DOMAIN.lastIndex = m.index! + m[0].length;
      const domain = DOMAIN.exec(text);
      if (!domain) continue;
      const labels = domain[0].match(LABELS) ?? [];
      // The domain ends at the last label that is a top-level domain, or is one mail service.
      let last = -1;
      for (let i = labels.length - 1; i > 0 && last < 0; i--) if (TLDS.has(labels[i].toLowerCase())) last = i;
      const provider = PROVIDERS.has(labels[0]?.toLowerCase() ?? '');
      if (last < 0 && !provider) continue;
      let end = domain.index + domain[0].length;
      if (last >= 0) {
        // Cut after the top-level domain's label.
        let seen = -1;
        for (const l of domain[0].matchAll(LABELS)) if (++seen === last) end = domain.index + l.index! + l[0].length;
      } else end = domain.index + (labels[0] ?? '').length;
      const spelled = /[([{<@]/.test(sep) || !ordinary.has(sep) || SPELLED_DOT.test(domain[0].slice(0, end - domain.index)) || provider;
      if (!spelled) continue;
      const start = m.index! - local[0].length;
      yield { start, end, kind: 'email' };
    }
  };
}
