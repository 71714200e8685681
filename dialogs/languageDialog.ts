import { ActivityTypes, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogReason, DialogTurnResult } from '../src/bot/dialogFramework';
import { YesNoDialog, YesNoQuestion } from './askDialog';
import { DialogDeps } from './dialogDeps';
import { channelKind } from '../src/identity';
import { numbered, withChoices } from '../src/bot/prompts';
import { SurveyTurn } from '../src/bot/surveyTurn';
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
      const turn = await this.deps.turns.of(dc.context);
      const { texts } = turn;
      const activity = dc.context.activity;
      const detected = activity.type === ActivityTypes.Message ? turn.detectLanguage(activity.text ?? '') : undefined;
      const hinted = negotiateLocale({ activityLocale: activity.locale }, texts.languages, '');
      state.candidate = detected ?? (hinted || undefined);
      await turn.say(texts.greeting(state.candidate ?? texts.defaultLocale));
    }
    await this.ask(dc.context, dc.activeDialog!);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const turn = await this.deps.turns.of(dc.context);
    const { texts } = turn;
    const state = dc.activeDialog!.state as LanguageState;
    const activity = dc.context.activity;
    if (activity.type !== ActivityTypes.Message) return this.resumeDialog(dc, DialogReason.continueCalled);
    const text = activity.text ?? '';
    // An endonym or tag typed at any point is a choice.
    const named = texts.words.languageFromName(text);
    if (named && texts.languages.includes(named)) return this.choose(dc, turn, named);
    if (state.candidate) return super.continueDialog(dc);

    const page = this.page(turn, state.page);
    const n = texts.words.number(text) ?? 0;
    if (n >= 1 && n <= page.items.length) return this.choose(dc, turn, page.items[n - 1]);
    if (page.hasMore && n === page.items.length + 1) {
      state.page = (state.page + 1) % page.pages;
      return this.askAgain(dc);
    }
    if (this.offerDetected(dc, turn, text)) return this.askAgain(dc);
    await turn.say(texts.t(this.displayLanguage(turn), 'bot:language.invalid'));
    return this.askAgain(dc);
  }

  protected question(turn: SurveyTurn, instance: DialogInstance): YesNoQuestion | undefined {
    const lng = (instance.state as LanguageState).candidate;
    if (!lng) return undefined;
    const { texts } = turn;
    return { lng, text: texts.t(lng, 'bot:language.confirm', { endonym: texts.meta(lng).endonym }), prompt: YES_NO_PROMPTS.language };
  }

  protected async answered(dc: DialogContext, turn: SurveyTurn, yes: boolean): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as LanguageState;
    if (yes) return this.choose(dc, turn, state.candidate!);
    state.candidate = undefined;
    state.page = 0;
    return this.askAgain(dc);
  }

  /** Neither yes nor no: the same language continues, another one is offered, or undefined. */
  protected override async unrecognised(dc: DialogContext, turn: SurveyTurn, text: string): Promise<DialogTurnResult | undefined> {
    const state = dc.activeDialog!.state as LanguageState;
    if (turn.detectLanguage(text) === state.candidate) return this.choose(dc, turn, state.candidate!);
    return this.offerDetected(dc, turn, text) ? this.askAgain(dc) : undefined;
  }

  protected override async ask(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = instance.state as LanguageState;
    if (state.candidate) return super.ask(context, instance);
    const turn = await this.deps.turns.of(context);
    const { texts } = turn;
    const lng = this.displayLanguage(turn);
    const page = this.page(turn, state.page);
    const labels = page.items.map((tag) => texts.meta(tag).endonym);
    if (page.hasMore) labels.push(texts.t(lng, 'bot:language.more'));
    await turn.say(withChoices(texts.lines(lng, texts.t(lng, 'bot:language.menu'), numbered(labels)), labels));
  }

  /** Makes a detected language, other than the one offered, the one to confirm next. */
  private offerDetected(dc: DialogContext, turn: SurveyTurn, text: string): boolean {
    const state = dc.activeDialog!.state as LanguageState;
    const detected = turn.detectLanguage(text);
    if (!detected || detected === state.candidate || !turn.texts.languages.includes(detected)) return false;
    state.candidate = detected;
    return true;
  }

  private async askAgain(dc: DialogContext): Promise<DialogTurnResult> {
    await this.ask(dc.context, dc.activeDialog!);
    return Dialog.EndOfTurn;
  }

  private async choose(dc: DialogContext, turn: SurveyTurn, tag: string): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as LanguageState;
    await turn.response.languageChosen(tag, state.switching);
    await turn.say(turn.texts.t(tag, 'bot:language.changed', { endonym: turn.texts.meta(tag).endonym }));
    return dc.endDialog(tag);
  }

  /** The menu page to show: everything at once where buttons exist, pages of six on SMS. */
  private page(turn: SurveyTurn, index: number): { items: string[]; hasMore: boolean; pages: number } {
    const all = [...turn.texts.languages];
    if (channelKind(turn.context.activity.channelId) !== 'sms') return { items: all, hasMore: false, pages: 1 };
    const pages = Math.ceil(all.length / SMS_PAGE_SIZE);
    const i = index % pages;
    return { items: all.slice(i * SMS_PAGE_SIZE, (i + 1) * SMS_PAGE_SIZE), hasMore: pages > 1, pages };
  }

  /** Before a choice, speak the channel's locale if we have it; after, the chosen one. */
  private displayLanguage(turn: SurveyTurn): string {
    const { texts } = turn;
    return negotiateLocale({ explicit: turn.state.lang, activityLocale: turn.context.activity.locale }, texts.languages, texts.defaultLocale);
  }
}
