import { LocaleMeta } from './i18n';
import { Question, optionsOf } from '../survey/definition';
import { allOptions, questionsOf } from '../survey/walk';
import { Vocabulary, compileVocabulary } from '../survey/recognize';
import { CompiledFold, FoldRules, NAME_FOLD_RULES, createFold, plainDigits, writesSpaces } from '../text/fold';
import { Messages } from './messages';

/** The interruptions a respondent can type at any question, in any supported language. */
export enum Command {
  Help = 'help',
  Back = 'back',
  Language = 'language',
  Stop = 'stop',
  Delete = 'delete',
  DontUnderstand = 'dont_understand',
}
const COMMANDS = Object.values(Command);

/** SMS carrier keywords, in the order they win when one word is several. */
export type SmsKeyword = 'opt_out' | 'opt_in' | 'sms_help';
const SMS_KEYWORDS: readonly SmsKeyword[] = ['opt_out', 'opt_in', 'sms_help'];

/**
 * A yes/no prompt outside the survey (language confirmation, consent, withdrawal): its id and the
 * message key of each button's label, which is understood as well as the locale's yes and no.
 */
export interface YesNoPrompt {
  id: string;
  /** Button labels by option; the survey's own yes/no labels when left out. */
  labels?: { yes: string; no: string };
}

/** The yes/no prompts of the bot, folded with everything else at start-up. */
export const YES_NO_PROMPTS = {
  /** Consent is answered with the survey's own yes and no. */
  consent: { id: 'consent' },
  /** "Yes" continues in the guessed language, "Other language" shows the menu. */
  language: { id: 'confirm_language', labels: { yes: 'bot:language.confirm_yes', no: 'bot:language.other' } },
  /** "Yes, delete" and "No, go on": buttons that say what they do. */
  delete: { id: 'confirm_delete', labels: { yes: 'bot:delete.yes', no: 'bot:delete.no' } },
  /** "Did I understand you right: …?", after a typed answer the bot was not sure of; the survey's yes and no. */
  answer: { id: 'confirm_answer' },
} as const satisfies Record<string, YesNoPrompt>;

/** In how many of a locale's question texts and option labels a word must be to count as common. */
const COMMON_IN = 4;

/** Longest message that can be a command; anything longer is an answer or a sentence. */
const MAX_COMMAND_LENGTH = 60;
const MAX_SMS_KEYWORD_LENGTH = 40;

/** Language names are typed in any script before a language is chosen (src/text/fold.ts). */
const NAME_FOLD = createFold(NAME_FOLD_RULES);

/**
 * Everything the bot listens for, folded once at start-up: each locale's answer vocabularies,
 * command keywords, SMS keywords and language names. Recognising a message then folds only the
 * message and looks it up in these tables; a turn never rebuilds them from i18next.
 */
export class Words {
  private readonly folds = new Map<string, CompiledFold>();
  private readonly vocabularies = new Map<string, Vocabulary>();
  private readonly commands = new Map<string, ReadonlyMap<string, Command>>();
  private readonly keywords = new Map<string, ReadonlyMap<Command | 'skip', string>>();
  private readonly sms: ReadonlyArray<[CompiledFold, ReadonlyMap<string, SmsKeyword>]>;
  private readonly languageNames: ReadonlyMap<string, string>;

  constructor(private readonly messages: Messages) {
    const { locales, survey } = messages;
    const byRules = new Map<string, CompiledFold>();
    for (const l of locales.list) {
      const rules = foldRules(l);
      const signature = JSON.stringify(rules);
      if (!byRules.has(signature)) byRules.set(signature, createFold(rules));
      this.folds.set(l.tag, byRules.get(signature)!);
    }
    const questions = questionsOf(survey).map((s) => s.question);
    for (const l of locales.list) {
      for (const q of questions) this.vocabulary(l.tag, q);
      for (const p of Object.values(YES_NO_PROMPTS)) this.yesNo(l.tag, p);
      this.commands.set(l.tag, this.commandTable(l.tag));
      const first = new Map<Command | 'skip', string>();
      for (const c of [...COMMANDS, 'skip' as const]) first.set(c, messages.list(l.tag, `bot:keywords.${c}`)[0] ?? c);
      this.keywords.set(l.tag, first);
    }
    // One table per distinct fold: SMS keywords are tried in every language's own fold.
    this.sms = [...byRules.values()].map((fold) => {
      const table = new Map<string, SmsKeyword>();
      for (const kind of SMS_KEYWORDS) {
        for (const l of locales.list.filter((x) => this.folds.get(x.tag) === fold)) {
          for (const w of messages.list(l.tag, `bot:keywords.${kind}`)) if (!table.has(fold(w))) table.set(fold(w), kind);
        }
      }
      return [fold, table];
    });
    const names = new Map<string, string>();
    for (const l of locales.list) names.set(NAME_FOLD(l.endonym), l.tag);
    for (const l of locales.list) if (!names.has(l.tag)) names.set(l.tag, l.tag);
    this.languageNames = names;
  }

  /** The fold in which `lng`'s words and messages are compared. */
  fold(lng: string): CompiledFold {
    return this.folds.get(lng) ?? this.folds.get(this.messages.defaultLocale)!;
  }

  /** The words that answer `q` in `lng`: option labels and synonyms, skip and "and" words. */
  vocabulary(lng: string, q: Question | { id: string; type: 'yes_no'; dontKnow: boolean }): Vocabulary {
    const options = optionsOf(q as Question);
    const key = `${lng}\u0000${q.id}\u0000${options.join(',')}`;
    let vocab = this.vocabularies.get(key);
    if (!vocab) {
      const { messages } = this;
      const words: Record<string, string[]> = {};
      for (const o of options) words[o] = [messages.optionLabel(lng, o), ...messages.list(lng, `${messages.ns}:options.${o}.synonyms`)];
      const echoed = ['text', 'simple'].map((k) => messages.s(lng, `questions.${q.id}.${k}`, { area: '' }));
      vocab = compileVocabulary(
        {
          options: words,
          skip: messages.list(lng, 'bot:keywords.skip'),
          and: messages.list(lng, 'bot:keywords.and'),
          ...this.sentenceWords(lng),
          common: [...this.commonWords(lng), ...echoed],
          hints: this.hintsOf(lng),
        },
        this.fold(lng),
      );
      this.vocabularies.set(key, vocab);
    }
    return vocab;
  }

  /**
   * Yes/no words in `lng` for a prompt, with the prompt's own button labels first ("Yes, delete",
   * "Other language"), so a tapped button is understood as well as a typed "ja" or "1". The
   * {@link YES_NO_PROMPTS} are folded at start-up; any other prompt on first use, then kept.
   */
  yesNo(lng: string, prompt: YesNoPrompt): Vocabulary {
    const key = `${lng}\u0000prompt:${prompt.id}`;
    let vocab = this.vocabularies.get(key);
    if (!vocab) {
      const { messages } = this;
      const words: Record<string, string[]> = {};
      for (const o of ['yes', 'no'] as const) {
        const own = prompt.labels ? [messages.t(lng, prompt.labels[o])] : [];
        words[o] = [...own, messages.optionLabel(lng, o), ...messages.list(lng, `${messages.ns}:options.${o}.synonyms`)];
      }
      vocab = compileVocabulary({ options: words, skip: [], and: [], ...this.sentenceWords(lng) }, this.fold(lng));
      this.vocabularies.set(key, vocab);
    }
    return vocab;
  }

  private readonly common = new Map<string, readonly string[]>();

  /**
   * The words of `lng` found in at least {@link COMMON_IN} of the survey's question texts and
   * option labels: "the", "of", "jeg", "med" tell no option from another (src/survey/recognize.ts).
   */
  private commonWords(lng: string): readonly string[] {
    let words = this.common.get(lng);
    if (!words) {
      const { messages } = this;
      const fold = this.fold(lng);
      const strings = [
        ...questionsOf(messages.survey).map((s) => messages.s(lng, `questions.${s.question.id}.text`, { area: '' })),
        ...allOptions(messages.survey).map((o) => messages.optionLabel(lng, o)),
      ];
      const seen = new Map<string, number>();
      for (const s of strings) for (const w of new Set(fold(s).split(' '))) seen.set(w, (seen.get(w) ?? 0) + 1);
      words = [...seen].filter(([, n]) => n >= COMMON_IN).map(([w]) => w);
      this.common.set(lng, words);
    }
    return words;
  }

  /** How `lng` writes sentences, for finding options inside them: its negation words, and whether words are spaced. */
  private sentenceWords(lng: string) {
    const meta = this.messages.meta(lng);
    const numbers = this.messages.locales.numbers.get(lng);
    return {
      negation: meta.negation,
      particles: meta.particles,
      joinAfter: meta.joinAfter,
      spaced: writesSpaces(meta.script),
      numbers: numbers?.numbers,
      units: numbers?.units,
    };
  }

  /** The survey's hints in `lng`: the locale's own (hints.json), then the Norwegian terms every locale shares. */
  private hintsOf(lng: string): Record<string, string[]> {
    const { locales, ns } = this.messages;
    const own = locales.hints.get(lng)?.[ns] ?? {};
    const shared = locales.norwegianTerms[ns] ?? {};
    const out: Record<string, string[]> = {};
    for (const o of new Set([...Object.keys(own), ...Object.keys(shared)])) out[o] = [...(own[o] ?? []), ...(shared[o] ?? [])];
    return out;
  }

  /**
   * Recognises an interruption keyword. The respondent's own language and English always count;
   * the word for "language" counts in every supported language, since someone who picked the
   * wrong language by mistake cannot be expected to know its word for it.
   */
  command(lng: string, text: string | undefined): Command | undefined {
    if (!text || text.length > MAX_COMMAND_LENGTH) return undefined;
    const input = this.fold(lng)(text);
    return input ? this.commands.get(lng)?.get(input) : undefined;
  }

  /** The first keyword of a command, as shown in help texts. */
  keyword(lng: string, c: Command | 'skip'): string {
    return this.keywords.get(lng)?.get(c) ?? this.messages.list(lng, `bot:keywords.${c}`)[0] ?? c;
  }

  /** A language named by its endonym or tag ("Polski", "pl", "العربية"), as typed at any time. */
  languageFromName(text: string | undefined): string | undefined {
    if (!text || text.length > MAX_COMMAND_LENGTH) return undefined;
    return this.languageNames.get(NAME_FOLD(text));
  }

  /**
   * SMS carrier keywords (STOP, START, HELP and their equivalents) in any supported language: a
   * respondent may send STOP before choosing a language, and carriers expect it to work.
   */
  smsKeyword(text: string | undefined): SmsKeyword | undefined {
    if (!text || text.length > MAX_SMS_KEYWORD_LENGTH) return undefined;
    let best: SmsKeyword | undefined;
    for (const [fold, table] of this.sms) {
      const kind = table.get(fold(text));
      if (kind && (!best || SMS_KEYWORDS.indexOf(kind) < SMS_KEYWORDS.indexOf(best))) best = kind;
    }
    return best;
  }

  /**
   * The first language, in menu order, whose own word for an SMS keyword this is ("JOOJI" is
   * Somali): what a STOP from someone who has not chosen a language is answered in. "STOP" itself
   * is in many lists and gives the first of them.
   */
  smsKeywordLanguage(kind: SmsKeyword, text: string | undefined): string | undefined {
    if (!text || text.length > MAX_SMS_KEYWORD_LENGTH) return undefined;
    const { messages } = this;
    return messages.languages.find((l) => {
      const fold = this.fold(l);
      return messages.list(l, `bot:keywords.${kind}`).some((w) => fold(w) === fold(text));
    });
  }

  /** A number typed alone, in any digit script ("٣", "๓", "3."), or undefined. */
  number(text: string | undefined): number | undefined {
    const m = /^\s*([+-]?\d{1,9})\s*[.)]?\s*$/u.exec(plainDigits(text ?? ''));
    return m ? Number(m[1]) : undefined;
  }

  private commandTable(lng: string): ReadonlyMap<string, Command> {
    const { messages } = this;
    const fold = this.fold(lng);
    const table = new Map<string, Command>();
    // Earlier commands win a word that two lists share, as they did when checked in order.
    for (const c of COMMANDS) {
      const langs = c === Command.Language ? messages.locales.tags : [...new Set([lng, 'en'])];
      // The SMS STOP words pause on every channel too: "stop" should never be read as an answer.
      const lists = c === Command.Stop ? ['stop', 'opt_out'] : [c];
      for (const l of langs) {
        for (const list of lists) {
          for (const w of messages.list(l, `bot:keywords.${list}`)) {
            const key = fold(w);
            if (key && !table.has(key)) table.set(key, c);
          }
        }
      }
    }
    return table;
  }
}

/** What `meta.json` declares about folding, as {@link FoldRules}. */
export function foldRules(meta: Pick<LocaleMeta, 'foldDiacritics' | 'fold'>): FoldRules {
  return { diacritics: meta.foldDiacritics, letters: meta.fold };
}
