/**
 * Guesses a respondent's language from their first message, so the bot can ask "Continue in
 * Polski?" instead of showing a 17-item menu. The guess is always confirmed by the respondent,
 * but a wrong guess costs a turn and some goodwill, so the detector prefers "und" to a coin toss.
 *
 * Order of evidence: the writing system first (Ethiopic, Thai, Cyrillic and Arabic script narrow
 * the field to one or a few supported languages), then letters that only some languages use,
 * then short lists of common words, and for Latin and Cyrillic text a statistical model (tinyld,
 * chosen by tests/bench/detectorAccuracy.ts). Word lists carry most of the weight because first
 * messages are short ("hei", "tak", "Mahadsanid") and tinyld knows neither nynorsk, Northern
 * Sámi nor Somali; the model earns its place on messages whose words no list has.
 */

/** Locale tags the detector can name, in no particular order. */
export const DETECTABLE_LANGUAGES = [
  'nb', 'nn', 'se', 'en', 'pl', 'lt', 'uk', 'ru', 'ar', 'so', 'ti', 'fa', 'prs', 'ps', 'ur', 'ckb', 'th',
] as const;

/** What the detector returns: a locale tag, or "und" with the confidence it had in its best guess. */
export interface LanguageGuess {
  tag: string;
  /** 0..1; only meaningful for comparing guesses of this detector, not a calibrated probability. */
  confidence: number;
}

/** One guess of a statistical language model: an ISO 639-1/639-3 code (or English name). */
export interface ModelGuess {
  code: string;
  /** 0..1: how sure the model is, on the model's own scale mapped to a probability-like number. */
  score: number;
}

/** A statistical language identifier, asked about Latin- and Cyrillic-script text. */
export interface LanguageModel {
  /** Ranked guesses, best first; only the first is used. */
  guesses(text: string): readonly ModelGuess[];
  /**
   * Served tags the model can name in Latin or Cyrillic script. When it names a language the
   * bot does not serve, that is evidence only against the languages it could have named
   * instead: a model without Somali calls Somali "Tagalog", which says nothing about whether
   * the text is Somali.
   */
  knows: readonly string[];
}

/** Signature of {@link detectLanguage}. */
export type LanguageDetector = (text: string, supported?: readonly string[]) => LanguageGuess;

/** The BCP 47 tag for "undetermined", returned when the detector will not guess. */
export const UND = 'und';
const OTHER = 'other';

/** Evidence needed before naming a language; one strong word (2) or two weak ones. */
const MIN_EVIDENCE = 2;
/** How far the best language must lead the runner-up. */
const MIN_MARGIN = 1;
/**
 * Below this many letters the model is not asked. This and {@link MODEL_MIN_SCORE} are the
 * values with the lowest dev cost for tinyld's heavy model in tests/bench/detectorAccuracy.ts.
 */
export const MODEL_MIN_LETTERS = 6;
/**
 * A model's guess scoring lower is ignored. 0: tinyld's best guess is right more often than its
 * score suggests, and it is only asked when letters and words have not decided.
 */
export const MODEL_MIN_SCORE = 0;
/** Weight of the model's best guess, comparable to one and a half strong words. */
const MODEL_WEIGHT = 3;

// ---------------------------------------------------------------------------------------------
// Normalisation

const ZERO_WIDTH_AND_TATWEEL = /[\u200B-\u200F\u0640\uFEFF]/g;
const ARABIC_HARAKAT = /[\u064B-\u065F\u0670\u06D6-\u06ED]/g;

/**
 * Lower-cased words of any script. Apostrophes stay inside words ("i'm", "su'aal"), and so do
 * digits, which Arabic written in Latin letters uses for sounds ("3alaykum"); tokens without a
 * letter (phone numbers, dates) are dropped.
 */
function words(text: string): string[] {
  const cleaned = text
    .normalize('NFC')
    .replace(ZERO_WIDTH_AND_TATWEEL, '')
    .replace(ARABIC_HARAKAT, '')
    .replace(/[’‘ʼ`]/g, "'")
    .toLowerCase();
  const tokens = cleaned.match(/[\p{L}\p{M}\p{N}]+(?:'[\p{L}\p{M}\p{N}]+)*/gu) ?? [];
  return tokens.filter((t) => /\p{L}/u.test(t)).map(foldArabic);
}

/**
 * Respondents often type without their language's diacritics (a Polish phone on a Norwegian
 * keyboard writes "dzien dobry"), so Latin words are compared without them. Letters that
 * decompose to nothing are spelled out.
 */
function foldLatin(word: string): string {
  return word
    .replace(/đ/g, 'd').replace(/ŋ/g, 'n').replace(/ŧ/g, 't').replace(/ł/g, 'l')
    .replace(/ø/g, 'o').replace(/æ/g, 'ae').replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

/**
 * Hamza seats and madda vary between keyboards and writers; they are folded. Arabic yeh/kaf
 * (ي ك) and Persian yeh/keheh (ی ک) are deliberately NOT folded: which one a phone produces is
 * evidence of the keyboard, and so of the language.
 */
function foldArabic(word: string): string {
  return word.replace(/[أإآٱ]/g, 'ا');
}

// ---------------------------------------------------------------------------------------------
// Word lists. Weights: 3 = only this language writes it, 2 = strong, 1 = common but shared,
// 0.5 = a hint. A word is counted once however often it is repeated.

type Lexicon = Map<string, Array<[tag: string, weight: number]>>;

function lexicon(entries: Record<string, Record<number, string>>, fold: (w: string) => string): Lexicon {
  const map: Lexicon = new Map();
  for (const [tags, byWeight] of Object.entries(entries)) {
    for (const [weight, list] of Object.entries(byWeight)) {
      for (const word of list.split(/\s+/).filter(Boolean)) {
        const key = fold(word);
        const hits = map.get(key) ?? [];
        for (const tag of tags.split(',')) hits.push([tag, Number(weight)]);
        map.set(key, hits);
      }
    }
  }
  return map;
}

/**
 * "hi", "hello", "hallo", "ok", "salam" and "salam alaikum" are written by speakers of every
 * language the bot serves, so they appear in no list below.
 */
const LATIN_WORDS = lexicon({
  // Shared by bokmål and nynorsk: decides "Norwegian" but not which written standard.
  'nb,nn': {
    2: `takk takke hjelp hjelpe gjerne svare dette denne husleie husleia kommunen kommunal kommunale
        startlån bostøtte norsk nynorsk anonymt lurer spørsmål spørsmålet forstår skjønner heisann
        nummeret kanskje bodd snakke delta etterpå hybel morn leie`,
    1: `hei med og på er har kan vil skal må få fått det om til ja nei meg mitt mine du ha litt tid
        skjer tar ut noen`,
    0.5: `i for min`,
  },
  nb: {
    2: `jeg ikke hva hvordan hvor hvem hvis hvorfor nå bor trenger noe fra bolig boligen leilighet
        leiligheten undersøkelsen undersøkelse meldingen svarene spørsmålene dere deres være mye
        hjemme også bare alene egen eget midlertidig flyktning snakker stedet sted sletter søker
        fortelle navn venner svarer problemer hjelpen`,
  },
  nn: {
    2: `eg ikkje kva korleis kvar kven kvifor berre ein eit heilt seinare frå bur treng noko nokon
        mykje vere vore eige eigen hjå åleine sidan fekk søkjer tek skjønar svara husvære bustad
        bustaden bustøtte mellombels fortelje meldinga undersøkinga heiter svarar slettar vener
        leiger eigentleg betre budd innan stad namn dykk dykkar òg`,
    1: `no me`,
  },
  se: {
    3: `bures buorre beaivi iđit eahket giitu ollu dát lea leat lean sáhtán dárbbašan veahki veahkki
        orun orrun orrunsadji orrunsaji ássandoarjja viessu viesu hálan háliidan vástidit vástidan
        sámegiella sámegillii sámegiela manná gos gii mii maid maŋŋil okto jagi boaris mus ipmil
        dearvva dearvvuođat gielda áiggo dieđe dieđuid ovddas ipmir guhká bistá galggan čállit
        iežan lehpet oažžut gávdnat sihkkut vástádusaid láigohan searvat juo`,
    1: `mun don son ii dii dál`,
    0.5: `in go mo ja mu`,
  },
  en: {
    2: `the and you your my this that what how who where when why need want help please pls plz
        thanks thank sorry yes not now can could would does don't dont i'm im i'll i've live
        living housing house flat apartment rent landlord answer answers question questions survey
        english speak about get got did number data much long take later good morning evening
        afternoon dear sir start sending messages message text legit there last year since
        temporary delete apply allowance information more like refugee student room share
        experience instead call someone prefer participate happens anonymous municipality know
        with from looking do`,
    1: `me to of it`,
    0.5: `i a is am u in no go see`,
  },
  pl: {
    3: `dzień dobry dobrze cześć witam siema potrzebuję pomocy pomoc proszę dziękuję dzięki
        mieszkanie mieszkania mieszkaniem mieszkam mieszkaniu jestem mogę można czy jest jak gdzie
        ile kiedy teraz później polsku polski polska się chcę wiem rozumiem wieczór pytanie
        odnośnie szukam rodziny ankieta czasu odpowiedzi odpowiadać anonimowe moje mój kim
        jesteście skąd macie bardzo udział wziąć więcej pisać serdecznie pracuję wynajmuję pokój
        złożyć wniosek dodatek zrobić zaczynamy działa znajomych własnego wiadomość chodzi potrwa
        dostałem dostałam gminy czynsz czynszem norwesku usunąć tak nie mam co`,
    1: `to za dla od`,
    0.5: `w z o na po hej u`,
  },
  lt: {
    3: `labas laba diena sveiki sveikas ačiū labai reikia pagalbos pagalba padėti dėl būsto butas
        buto bute galiu galima atsakyti lietuviškai lietuvių taip kas čia kaip kur kiek dabar
        neturiu turiu laiko vėliau esu gyvenu noriu nenoriu prašau nežinau yra savo mano jūs
        vakaras rytas žinutę savivaldybės klausimą daugiau norėčiau sužinoti apklausa anonimiška
        užtruks nuoma dirbu ieškau šeimai pradedam veikia draugus nesuprantu norvegiškai ištrinti
        atsakymus dalyvauti nerašyti pašalpai prašymą`,
    1: `man ar tai su pas iš už ne`,
    0.5: `per`,
  },
  so: {
    3: `waxaan waan baan ayaan baahanahay caawimaad caawin guri guriga gurigu mahadsanid mahadsan
        salaan salaamu calaykum asc iska warran tahay tihiin karaa karo soomaali soomaaliga
        sidee xaggee halkee fadlan wanaagsan subax fiid nabad walaal walaalo hadda waqti nool
        noolahay ahay fahmo fahmin su'aal jawaab jawaabi norwiijiga qoyskayga maxay arrintan
        hooyo carruur yahay haysto lihi kirada kireystaa maya haa iyo ayuu baa sida`,
    1: `waa ku ka aan af leh ay`,
    0.5: `u ma see`,
  },
  // Latin-script spellings of languages usually written in other scripts; strong words only.
  ar: { 3: `3alaykum 3alaikum kifak kifik shukran habibi bhtaj mosa3ade musa3ada marhaba ahlan yalla` },
  fa: { 3: `mikham mikhaam javab bedam farsi khoobi khubi mamnoon mamnun lotfan chetori hastam` },
  prs: { 3: `astom astam astum dari tashakor tashakur afghanistan kabul` },
  ps: { 3: `ghwaram pashto pashtu manana` },
  ur: { 3: `mujhe chahiye chahye hoon kya aap nahi nahin aoa liye kamra kiraye shukriya bhai theek urdu`, 1: `hai aur ghar` },
  ti: { 3: `kemey kemay aleka aleki alekum yekenyeley yekenyelei hagez tigrinya tigrigna` },
  th: { 3: `sawasdee sawatdee sawasdi khop khob krub khrap`, 1: `khun ka kha` },
  ckb: { 3: `slaw kurdi heye supas` },
}, foldLatin);

const ARABIC_SCRIPT_WORDS = lexicon({
  ar: {
    3: `مرحبا احتاج مساعدة هل يمكنني يمكن هذا هذه انا انت انتم في على الى كيف لا نعم اريد شكرا جزيلا
        صباح مساء ليس لدي عندي لاحقا اين كم ماذا تريدون مني بيت البيت شو هاد بعرف اخي عفوا جيدا
        عربي العربية سمحت حصلتم رقمي عائلتي اسكن ونسكن اطفال صغيرة فضلك لنبدأ`,
    1: `ما عن مع`,
  },
  // Shared by Iranian Persian and Dari: decides "Persian" but not which.
  'fa,prs': {
    2: `این برای کمک دارم دارید میکنم زندگی کجا شما است ندارم کنم کنیم کار پیام پاک پیدا داشتم
        ممنون پناهنده دانشجو اتاق هستم هستید فارسی عزیزم خوب شروع لطفا خانواده بعدا`,
    1: `از که به با هم یک را نه میشه بخیر صبح جواب سوال وقت من چطور`,
  },
  fa: {
    3: `نیاز میخوام نمیخوام میتونم نمیدونم چیه خونه مرسی ممنونم بلد نروژ نروژی ایران یه باشه
        نظرسنجی میکشه منو چطوری دوستام نباشید صاحبخونه ناشناسه`,
    2: `خیلی الان دیگه ناشناس طول آوردید خسته متوجه نشدم اجاره دنبال بدم ندید درباره آپارتمان`,
  },
  prs: {
    3: `استم استی استید استیم استن تشکر میخاهم نمیخاهم میتانم نمیتانم ضرورت نمیفامم نفامیدم فامیدم
        پالیده کابل ناروی نارویژی دری سروی کدید بتم هایمه`,
    2: `اس مه مره ره هرات مزار اشتراک بخاطر رفیقم فامیلم افغانستان`,
    1: `بسیار روان موقتی آمدیم میگیرد کرایه`,
  },
  ps: {
    3: `زه یم لرم مننه یاست مرسته مرستې اړتیا غواړم څنګه پښتو ستاسو زما تاسو څوک وخت وروسته ورور
        چیرته ډېره خپل کې مې شته`,
    2: `په دا دی اوس هو سره`,
    1: `د ده ته کور شی مو له افغانستان کرایه`,
  },
  ur: {
    3: `میں کیا آپ اور اردو پاکستان فلیٹ`,
    2: `کا جی مدد`,
    0.5: `کی`,
  },
  ckb: {
    3: `سوپاس سلاو سڵاو کوردی کورد کوردستان نازانم`,
    1: `باش`,
  },
}, foldArabic);

// The Arabic article is a strong sign of Arabic, except in greetings and phrases every Muslim
// writes, whatever their language.
const SHARED_ARABIC_PHRASES = new Set(['السلام', 'الله', 'الحمد', 'الحمدلله', 'الان']);

const CYRILLIC_WORDS = lexicon({
  uk: {
    3: `привіт вітаю дякую будь ласка що це як чи мені потрібна потрібно допомога допомогу житло житла
        немає можна українською добрий вечора ранку де маю питання щодо квартири сама сім'ї вибачте
        слава україні отримала отримав біженка біженець`,
  },
  ru: {
    3: `привет здравствуйте здраствуйте спасибо пожалуйста что это как мне меня нужна нужно помощь
        жильё жилье жилья нет да можно где есть сейчас времени по-русски русском говорю одна сколько
        извините хорошего давайте подробнее вопрос узнать понимаю кто доброе утро добрый вечер
        получила получил`,
  },
  // Other Cyrillic languages that the bot does not serve; evidence for "und".
  other: { 3: `здравейте благодаря имам нужда помощ съм искам моля здрасти` },
}, (w) => w.replace(/ё/g, 'е'));

// Amharic is written in the same script as Tigrinya but is not served.
const ETHIOPIC_WORDS = lexicon({
  ti: {
    2: `ኣለኹ ኣሎ እየ እዩ ድዩ ድየ የቐንየለይ የቐንየልና ከመይ ሓገዝ ገዛ እንታይ ኣይፈልጥን ብትግርኛ ኣለኒ ኣለኹም
        የብለይን እደሊ ሕጂ ኣበይ ካበይ በጃኹም ኣነ`,
  },
  other: { 3: `ነው እፈልጋለሁ አመሰግናለሁ እንዴት ነህ ነሽ ናችሁ እባክህ እባክዎ ይስጥልኝ እርዳታ አለ` },
}, (w) => w);

// ---------------------------------------------------------------------------------------------
// Distinctive letters: [letters, weight per distinct letter present, tags].

type LetterRule = [letters: RegExp, weight: number, tags: string[]];

const letters = (chars: string) => new RegExp(`[${chars}]`, 'gu');

const LATIN_LETTERS: LetterRule[] = [
  [letters('đŋŧ'), 2, ['se']],
  [letters('á'), 0.5, ['se']],
  [letters('čšž'), 0.5, ['se', 'lt']],
  [letters('łńśźż'), 2, ['pl']],
  [letters('ć'), 1, ['pl']],
  [letters('ó'), 1, ['pl']],
  [letters('ąę'), 1, ['pl', 'lt']],
  [letters('ėįųū'), 2, ['lt']],
  [letters('æøå'), 1, ['nb', 'nn']],
  // German, Swedish, Finnish, Turkish, Spanish, Portuguese, French and Vietnamese letters: a
  // respondent writing one of those languages must get "und", not the nearest supported one.
  [letters('äöüßığşñãõơưçëïœ\u1EA0-\u1EF9'), 2, [OTHER]],
];

const ARABIC_LETTERS: LetterRule[] = [
  [letters('ټډړږښګڼېۍځڅ'), 2, ['ps']],
  [letters('ٹڈڑںےہۂۓ'), 2, ['ur']],
  [letters('ھ'), 1, ['ur']],
  [letters('ڵڕۆێەڤ'), 2, ['ckb']],
  // Letters Arabic lacks: they rule Arabic out without choosing among the others.
  [letters('پچژگ'), 0.5, ['fa', 'prs', 'ps', 'ur', 'ckb']],
  [letters('ةىؤإأ'), 1, ['ar']],
];

const CYRILLIC_LETTERS: LetterRule[] = [
  [letters('іїєґ'), 2, ['uk']],
  [letters('ыэё'), 2, ['ru']],
  [letters('јљњћђџѓќѕ'), 3, [OTHER]],
];

// ---------------------------------------------------------------------------------------------
// Scoring

type Scores = Map<string, number>;

function add(scores: Scores, tag: string, weight: number): void {
  scores.set(tag, (scores.get(tag) ?? 0) + weight);
}

function addWords(scores: Scores, tokens: readonly string[], lex: Lexicon, fold: (w: string) => string = (w) => w): void {
  for (const word of new Set(tokens.map(fold))) {
    for (const [tag, weight] of lex.get(word) ?? []) add(scores, tag, weight);
  }
}

function addLetters(scores: Scores, text: string, rules: readonly LetterRule[]): void {
  for (const [pattern, weight, tags] of rules) {
    const present = new Set(text.match(pattern) ?? []);
    for (const tag of tags) add(scores, tag, weight * Math.min(present.size, 3));
  }
}

/**
 * Maps a model's ISO 639-1/639-3 code (or English name) to the tags it is evidence for. A
 * model's plain "Norwegian" says nothing about bokmål versus nynorsk, so it counts for both and
 * the word lists decide; only an explicit nynorsk guess counts for nynorsk alone.
 */
export function modelCodeToTags(code: string): string[] {
  const c = code.toLowerCase();
  // Danish is what models most often call short Norwegian text, and Danes read bokmål.
  const norwegian = ['no', 'nb', 'nob', 'nor', 'norwegian', 'da', 'dan', 'danish'];
  if (norwegian.includes(c)) return ['nb', 'nn'];
  if (c === 'nn' || c === 'nno') return ['nn'];
  const table: Record<string, string> = {
    en: 'en', eng: 'en', english: 'en', pl: 'pl', pol: 'pl', polish: 'pl', lt: 'lt', lit: 'lt',
    lithuanian: 'lt', so: 'so', som: 'so', somali: 'so', se: 'se', sme: 'se', uk: 'uk', ukr: 'uk',
    ukrainian: 'uk', ru: 'ru', rus: 'ru', russian: 'ru', ar: 'ar', ara: 'ar', arb: 'ar', arabic: 'ar',
    fa: 'fa', fas: 'fa', pes: 'fa', per: 'fa', farsi: 'fa', prs: 'prs', ps: 'ps', pus: 'ps', pbt: 'ps',
    pbu: 'ps', pashto: 'ps', ur: 'ur', urd: 'ur', urdu: 'ur', ckb: 'ckb', ti: 'ti', tir: 'ti', th: 'th',
    tha: 'th',
  };
  return table[c] ? [table[c]] : [];
}

/** The model's best guess counts as one vote of {@link MODEL_WEIGHT}, if it is asked at all. */
function addModel(scores: Scores, text: string, letterCount: number, options: DetectorOptions): void {
  const model = options.model;
  if (!model || letterCount < (options.modelMinLetters ?? MODEL_MIN_LETTERS)) return;
  const best = model.guesses(text)[0];
  if (!best || best.score < (options.modelMinScore ?? MODEL_MIN_SCORE)) return;
  // A fixed vote rather than the score itself: each library scales its scores differently, and
  // the threshold above is where that difference is accounted for.
  const tags = modelCodeToTags(best.code);
  for (const tag of tags) add(scores, tag, MODEL_WEIGHT);
  if (tags.length > 0) return;
  add(scores, OTHER, MODEL_WEIGHT);
  for (const tag of DETECTABLE_LANGUAGES) if (!model.knows.includes(tag)) add(scores, tag, MODEL_WEIGHT);
}

/** Pairs of tags that the evidence often cannot tell apart; the first is guessed on a tie. */
const SIBLINGS: ReadonlyArray<readonly [string, string]> = [['nb', 'nn'], ['fa', 'prs']];

/**
 * The language with the most evidence, if it has enough and leads clearly. Siblings compete
 * as one: words shared by bokmål and nynorsk make "Norwegian" win, and then only the words that
 * differ choose between them; on a tie the more widely written one is guessed (bokmål, and
 * Iranian Persian, which Dari readers also read), with less confidence.
 */
function decide(scores: Scores): LanguageGuess {
  const units = new Map<string, number>();
  const siblingOf = new Map<string, readonly [string, string]>();
  for (const pair of SIBLINGS) for (const t of pair) siblingOf.set(t, pair);
  for (const [tag, score] of scores) {
    const pair = siblingOf.get(tag);
    const unit = pair ? pair.join('+') : tag;
    units.set(unit, Math.max(units.get(unit) ?? 0, score));
  }
  const ranked = [...units].sort((a, b) => b[1] - a[1]);
  const [top, second] = [ranked[0], ranked[1]];
  if (!top || top[0] === OTHER) return { tag: UND, confidence: 0 };
  const margin = top[1] - (second?.[1] ?? 0);
  const confidence = 1 - 0.5 ** margin;
  if (top[1] < MIN_EVIDENCE || margin < MIN_MARGIN) return { tag: UND, confidence };
  const pair = SIBLINGS.find((p) => p.join('+') === top[0]);
  if (!pair) return { tag: top[0], confidence };
  const [first, other] = pair;
  const diff = (scores.get(first) ?? 0) - (scores.get(other) ?? 0);
  if (diff >= MIN_MARGIN) return { tag: first, confidence };
  if (-diff >= MIN_MARGIN) return { tag: other, confidence };
  return { tag: first, confidence: confidence * 0.6 };
}

/**
 * Letters and words decide when they can; the model only fills in when they do not. Added to
 * every decision, tinyld overruled "і" in "так, почнімо" with "Russian" and gained nothing on
 * the dev set (tests/bench/detectorAccuracy.ts).
 */
function decideThenAskModel(scores: Scores, tokens: readonly string[], text: string, letterCount: number, options: DetectorOptions): LanguageGuess {
  const guess = decide(scores);
  // One word is too little for character statistics ("Grazie" → Polish); only the word lists,
  // which know that "tak" is Polish, may name the language of a one-word message.
  if (guess.tag !== UND || !options.model || tokens.length < 2) return guess;
  addModel(scores, text, letterCount, options);
  return decide(scores);
}

function detectLatin(text: string, tokens: string[], letterCount: number, options: DetectorOptions): LanguageGuess {
  const scores: Scores = new Map();
  if (options.wordLists !== false) addWords(scores, tokens, LATIN_WORDS, foldLatin);
  addLetters(scores, text.toLowerCase(), LATIN_LETTERS);
  return decideThenAskModel(scores, tokens, text, letterCount, options);
}

function detectArabicScript(text: string, tokens: string[]): LanguageGuess {
  const scores: Scores = new Map();
  addWords(scores, tokens, ARABIC_SCRIPT_WORDS);
  addLetters(scores, text, ARABIC_LETTERS);
  const articles = new Set(tokens.filter((w) => w.startsWith('ال') && w.length >= 4 && !SHARED_ARABIC_PHRASES.has(w)));
  add(scores, 'ar', Math.min(articles.size, 3));
  // Which yeh and kaf the keyboard produced: a hint, never enough on its own.
  if (/[يك]/u.test(text)) add(scores, 'ar', 0.5);
  if (/[یک]/u.test(text)) for (const t of ['fa', 'prs', 'ps', 'ur', 'ckb']) add(scores, t, 0.5);
  return decide(scores);
}

function detectCyrillic(text: string, tokens: string[], letterCount: number, options: DetectorOptions): LanguageGuess {
  const scores: Scores = new Map();
  if (options.wordLists !== false) addWords(scores, tokens, CYRILLIC_WORDS, (w) => w.replace(/ё/g, 'е'));
  addLetters(scores, text.toLowerCase(), CYRILLIC_LETTERS);
  return decideThenAskModel(scores, tokens, text, letterCount, options);
}

/** Tigrinya is the only served language in Ethiopic script, unless the words are Amharic. */
function detectEthiopic(tokens: string[]): LanguageGuess {
  const scores: Scores = new Map();
  addWords(scores, tokens, ETHIOPIC_WORDS);
  if ((scores.get(OTHER) ?? 0) > (scores.get('ti') ?? 0)) return { tag: UND, confidence: 0 };
  return { tag: 'ti', confidence: scores.has('ti') ? 0.95 : 0.8 };
}

type Script = 'Latin' | 'Cyrillic' | 'Arabic' | 'Ethiopic' | 'Thai' | 'other';

const SCRIPT_TESTS: ReadonlyArray<[Script, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Ethiopic', /\p{Script=Ethiopic}/u],
  ['Thai', /\p{Script=Thai}/u],
];

function letterCounts(text: string): Map<Script, number> {
  const counts = new Map<Script, number>();
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    const script = SCRIPT_TESTS.find(([, re]) => re.test(ch))?.[0] ?? 'other';
    counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  return counts;
}

/** Close relatives a respondent can read when their own variety is not offered. */
const READABLE_RELATIVE: Record<string, string> = { prs: 'fa', fa: 'prs', nn: 'nb', nb: 'nn' };

/** How {@link createLanguageDetector} builds a detector. */
export interface DetectorOptions {
  /**
   * Statistical model for Latin- and Cyrillic-script text; without one, only letters and word
   * lists count.
   */
  model?: LanguageModel;
  /** false switches off the Latin and Cyrillic word lists, to measure a model on its own. */
  wordLists?: boolean;
  /** Fewest letters for which the model is asked; default {@link MODEL_MIN_LETTERS}. */
  modelMinLetters?: number;
  /** Lowest model score that counts; default {@link MODEL_MIN_SCORE}. */
  modelMinScore?: number;
}

/**
 * Builds a detector. The statistical model is injectable so the benchmark can compare
 * candidates through the same word lists and rules.
 */
export function createLanguageDetector(options: DetectorOptions = {}): LanguageDetector {
  return (text, supported = DETECTABLE_LANGUAGES) => {
    const counts = letterCounts(text);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    if (total === 0) return { tag: UND, confidence: 0 };
    const [script, count] = [...counts].sort((a, b) => b[1] - a[1])[0];
    // Mixed scripts without a clear majority (a name in one script, a question in another)
    // are not worth a guess.
    if (count / total < 0.7) return { tag: UND, confidence: 0 };
    const tokens = words(text);
    let guess: LanguageGuess;
    switch (script) {
      case 'Thai':
        guess = { tag: 'th', confidence: 0.95 };
        break;
      case 'Ethiopic':
        guess = detectEthiopic(tokens);
        break;
      case 'Cyrillic':
        guess = detectCyrillic(text, tokens, count, options);
        break;
      case 'Arabic':
        guess = detectArabicScript(text, tokens);
        break;
      case 'Latin':
        guess = detectLatin(text, tokens, count, options);
        break;
      default:
        guess = { tag: UND, confidence: 0 };
    }
    if (guess.tag === UND || supported.includes(guess.tag)) return guess;
    const relative = READABLE_RELATIVE[guess.tag];
    if (relative && supported.includes(relative)) return { tag: relative, confidence: guess.confidence * 0.8 };
    return { tag: UND, confidence: 0 };
  };
}

let tinyld: typeof import('tinyld/heavy') | undefined;

/**
 * tinyld's best guess, from its "heavy" model: on the dev rows it made fewer wrong guesses than
 * the default one, at the price of about 75 MB of memory and 0.5 s to load. It is loaded on the
 * first message the word lists cannot settle, so processes that never see one (most tests, the
 * CLI) do not pay for it. tinyld knows bokmål only as "Norwegian" and has no Somali, Sámi or
 * nynorsk, which is what `knows` tells the detector.
 */
export const tinyldModel: LanguageModel = {
  knows: ['nb', 'nn', 'en', 'pl', 'lt', 'uk', 'ru'],
  guesses(text) {
    tinyld ??= require('tinyld/heavy') as typeof import('tinyld/heavy');
    return tinyld.detectAll(text).slice(0, 1).map((g) => ({ code: g.lang, score: g.accuracy }));
  },
};

/**
 * Guesses the language of a respondent's first message.
 *
 * @param text what the respondent wrote, any script
 * @param supported tags the bot can offer; a guess outside them becomes a readable relative
 *   (Dari → Persian, nynorsk → bokmål and back) or "und"
 * @returns a tag from `supported`, or "und" when the text is too short, ambiguous or in a
 *   language the bot does not serve
 */
export const detectLanguage: LanguageDetector = createLanguageDetector({ model: tinyldModel });
