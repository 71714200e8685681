import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogTurnResult } from '../src/bot/dialogFramework';
import { YesNoDialog, YesNoQuestion } from './askDialog';
import { DialogDeps, sessionOf } from '../src/bot/session';
import { YES_NO_PROMPTS } from '../src/language/words';

export const CONSENT_DIALOG = 'consentDialog';

/** Explains purpose and anonymity and asks for consent. Ends with true (consented) or false. */
export class ConsentDialog extends YesNoDialog {
  constructor(deps: DialogDeps) {
    super(CONSENT_DIALOG, deps);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const lng = await this.language(dc.context);
    const { texts } = this.deps;
    // Three short messages rather than one long one: each fits an SMS budget and a phone screen.
    for (const part of ['consent.purpose', 'consent.anonymity', 'consent.after']) {
      await dc.context.sendActivity(texts.s(lng, part, { organisation: texts.organisationName(lng) }));
    }
    await this.ask(dc.context, dc.activeDialog!);
    return Dialog.EndOfTurn;
  }

  protected async question(context: TurnContext): Promise<YesNoQuestion> {
    const lng = await this.language(context);
    return { lng, text: this.deps.texts.s(lng, 'consent.ask'), prompt: YES_NO_PROMPTS.consent };
  }

  protected async answered(dc: DialogContext, yes: boolean): Promise<DialogTurnResult> {
    return dc.endDialog(yes);
  }

  private async language(context: TurnContext): Promise<string> {
    return (await sessionOf(this.deps, context)).lang ?? this.deps.texts.defaultLocale;
  }
}
