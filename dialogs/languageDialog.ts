import { Dialog, DialogContext, DialogInstance, DialogReason, DialogTurnResult } from 'botbuilder-dialogs';
import { ActivityTypes, TurnContext } from 'botbuilder';
import { numbered, withChoices } from '../src/bot/prompts';
import { DialogDeps, sessionOf } from '../src/bot/session';
import { negotiateLocale } from '../src/bot/negotiateLocale';

export const LANGUAGE_DIALOG = 'languageDialog';

export interface LanguageOptions {
  /** Mid-survey switch: no greeting, and the switch is counted. */
  switching: boolean;
}

/** Asks for the respondent's language from a menu of endonyms (each language's name for itself). */
export class LanguageDialog extends Dialog<LanguageOptions> {
  constructor(private readonly deps: DialogDeps) {
    super(LANGUAGE_DIALOG);
  }

  override async beginDialog(dc: DialogContext, options?: LanguageOptions): Promise<DialogTurnResult> {
    const switching = options?.switching ?? false;
    dc.activeDialog!.state.switching = switching;
    const lng = await this.displayLanguage(dc.context);
    if (!switching) await dc.context.sendActivity(this.deps.texts.t(lng, 'bot:greeting'));
    await this.sendMenu(dc.context, lng);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { texts } = this.deps;
    const lng = await this.displayLanguage(dc.context);
    const choice = dc.context.activity.type === ActivityTypes.Message ? texts.languageFromInput(dc.context.activity.text) : undefined;
    if (!choice) {
      await dc.context.sendActivity(texts.t(lng, 'bot:language.invalid'));
      await this.sendMenu(dc.context, lng);
      return Dialog.EndOfTurn;
    }
    const session = await sessionOf(this.deps, dc.context);
    if (dc.activeDialog!.state.switching && session.lang && session.lang !== choice) session.languageSwitches += 1;
    session.lang = choice;
    await dc.context.sendActivity(texts.t(choice, 'bot:language.changed', { endonym: texts.meta(choice).endonym }));
    return dc.endDialog(choice);
  }

  override async repromptDialog(context: TurnContext, _instance: DialogInstance): Promise<void> {
    await this.sendMenu(context, await this.displayLanguage(context));
  }

  override async resumeDialog(dc: DialogContext, _reason: DialogReason, _result?: unknown): Promise<DialogTurnResult> {
    await this.repromptDialog(dc.context, dc.activeDialog!);
    return Dialog.EndOfTurn;
  }

  private async sendMenu(context: TurnContext, lng: string): Promise<void> {
    const endonyms = this.deps.texts.locales.list.map((l) => l.endonym);
    await context.sendActivity(withChoices(`${this.deps.texts.t(lng, 'bot:language.menu')}\n${numbered(endonyms)}`, endonyms));
  }

  /** Before a choice, speak the channel's locale if we have it; after, the chosen one. */
  private async displayLanguage(context: TurnContext): Promise<string> {
    const session = await sessionOf(this.deps, context);
    const { texts } = this.deps;
    return negotiateLocale({ explicit: session.lang, activityLocale: context.activity.locale }, texts.locales.list.map((l) => l.tag), texts.defaultLocale);
  }
}
