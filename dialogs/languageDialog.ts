import { ActivityTypes, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogReason, DialogTurnResult } from '../src/bot/dialogFramework';
import { YesNoDialog, YesNoQuestion } from './askDialog';
import { channelKind } from '../src/identity';
import { numbered, withChoices } from '../src/bot/prompts';
import { DialogDeps, sessionOf } from '../src/bot/session';
import { negotiateLocale } from '../src/bot/negotiateLocale';
import { YES_NO_PROMPTS } from '../src/language/words';

export const LANGUAGE_DIALOG = 'languageDialog';

/** SMS shows no buttons and every character costs: the menu comes in pages of this many. */
const SMS_PAGE_SIZE = 6;

export interface LanguageOptions {
  /** Mid-survey switch: no greeting and no guess, and the switch is counted. */
  switching: boolean;
}

interface LanguageState {
  switching: boolean;
  /** A guessed language waiting for the respondent's yes. */
  candidate?: string;
  page: number;
}

/**
 * Finds the respondent's language. From the first message it guesses (script and word evidence,
 * src/language/detect.ts) or takes the channel's locale, and asks to confirm rather than assume;
 * otherwise, or on "other language", it shows a menu of endonyms (each language's own name).
 * A sentence where a choice was expected ("Hei, jeg vil svare" under "Continue in Norsk
 * bokmål?", which the web page asks before the respondent has written anything) is run through
 * the same detector: its language is taken or offered before the bot says it did not understand.
 */
export class LanguageDialog extends YesNoDialog<LanguageOptions> {
  constructor(deps: DialogDeps) {
    super(LANGUAGE_DIALOG, deps);
  }

  override async beginDialog(dc: DialogContext, options?: LanguageOptions): Promise<DialogTurnResult> {
    const state: LanguageState = { switching: options?.switching ?? false, page: 0 };
    dc.activeDialog!.state = state;
    if (!state.switching) {
      const { texts } = this.deps;
      const activity = dc.context.activity;
      const supported = texts.locales.list.map((l) => l.tag);
      const detected = activity.type === ActivityTypes.Message ? this.deps.detectLanguage(activity.text ?? '') : undefined;
      const hinted = negotiateLocale({ activityLocale: activity.locale }, supported, '');
      state.candidate = detected ?? (hinted || undefined);
      await dc.context.sendActivity(texts.t(state.candidate ?? texts.defaultLocale, 'bot:greeting'));
    }
    await this.ask(dc.context, dc.activeDialog!);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { texts } = this.deps;
    const state = dc.activeDialog!.state as LanguageState;
    const activity = dc.context.activity;
    if (activity.type !== ActivityTypes.Message) return this.resumeDialog(dc, DialogReason.continueCalled);
    const text = activity.text ?? '';
    // An endonym or tag typed at any point is a choice.
    const named = texts.words.languageFromName(text);
    if (named) return this.choose(dc, named);
    if (state.candidate) return super.continueDialog(dc);

    const page = this.page(dc.context, state.page);
    const n = texts.words.number(text) ?? 0;
    if (n >= 1 && n <= page.items.length) return this.choose(dc, page.items[n - 1]);
    if (page.hasMore && n === page.items.length + 1) {
      state.page = (state.page + 1) % page.pages;
      return this.askAgain(dc);
    }
    if (this.offerDetected(dc, text)) return this.askAgain(dc);
    await dc.context.sendActivity(texts.t(await this.displayLanguage(dc.context), 'bot:language.invalid'));
    return this.askAgain(dc);
  }

  protected async question(_context: TurnContext, instance: DialogInstance): Promise<YesNoQuestion | undefined> {
    const lng = (instance.state as LanguageState).candidate;
    if (!lng) return undefined;
    const { texts } = this.deps;
    return { lng, text: texts.t(lng, 'bot:language.confirm', { endonym: texts.meta(lng).endonym }), prompt: YES_NO_PROMPTS.language };
  }

  protected async answered(dc: DialogContext, yes: boolean): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as LanguageState;
    if (yes) return this.choose(dc, state.candidate!);
    state.candidate = undefined;
    state.page = 0;
    return this.askAgain(dc);
  }

  /** Neither yes nor no: the same language continues, another one is offered, or undefined. */
  protected override async unrecognised(dc: DialogContext, text: string): Promise<DialogTurnResult | undefined> {
    const state = dc.activeDialog!.state as LanguageState;
    if (this.deps.detectLanguage(text) === state.candidate) return this.choose(dc, state.candidate!);
    return this.offerDetected(dc, text) ? this.askAgain(dc) : undefined;
  }

  protected override async ask(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = instance.state as LanguageState;
    if (state.candidate) return super.ask(context, instance);
    const { texts } = this.deps;
    const lng = await this.displayLanguage(context);
    const page = this.page(context, state.page);
    const labels = page.items.map((tag) => texts.meta(tag).endonym);
    if (page.hasMore) labels.push(texts.t(lng, 'bot:language.more'));
    await context.sendActivity(withChoices(texts.lines(lng, texts.t(lng, 'bot:language.menu'), numbered(labels)), labels));
  }

  /** Makes a detected language, other than the one offered, the one to confirm next. */
  private offerDetected(dc: DialogContext, text: string): boolean {
    const state = dc.activeDialog!.state as LanguageState;
    const detected = this.deps.detectLanguage(text);
    if (!detected || detected === state.candidate || !this.deps.texts.locales.byTag.has(detected)) return false;
    state.candidate = detected;
    return true;
  }

  private async askAgain(dc: DialogContext): Promise<DialogTurnResult> {
    await this.ask(dc.context, dc.activeDialog!);
    return Dialog.EndOfTurn;
  }

  private async choose(dc: DialogContext, tag: string): Promise<DialogTurnResult> {
    const { texts, responses } = this.deps;
    const session = await sessionOf(this.deps, dc.context);
    const state = dc.activeDialog!.state as LanguageState;
    if (state.switching && session.lang && session.lang !== tag) {
      session.languageSwitches += 1;
      if (session.responseId) await responses.count(dc.context, session.responseId, { languageSwitches: session.languageSwitches });
    }
    session.lang = tag;
    await dc.context.sendActivity(texts.t(tag, 'bot:language.changed', { endonym: texts.meta(tag).endonym }));
    return dc.endDialog(tag);
  }

  /** The menu page to show: everything at once where buttons exist, pages of six on SMS. */
  private page(context: TurnContext, index: number): { items: string[]; hasMore: boolean; pages: number } {
    const all = this.deps.texts.locales.list.map((l) => l.tag);
    if (channelKind(context.activity.channelId) !== 'sms') return { items: all, hasMore: false, pages: 1 };
    const pages = Math.ceil(all.length / SMS_PAGE_SIZE);
    const i = index % pages;
    return { items: all.slice(i * SMS_PAGE_SIZE, (i + 1) * SMS_PAGE_SIZE), hasMore: pages > 1, pages };
  }

  /** Before a choice, speak the channel's locale if we have it; after, the chosen one. */
  private async displayLanguage(context: TurnContext): Promise<string> {
    const session = await sessionOf(this.deps, context);
    const { texts } = this.deps;
    return negotiateLocale(
      { explicit: session.lang, activityLocale: context.activity.locale },
      texts.locales.list.map((l) => l.tag),
      texts.defaultLocale,
    );
  }
}
