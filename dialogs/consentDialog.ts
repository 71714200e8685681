import { ActivityTypes, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogReason, DialogTurnResult } from 'botbuilder-dialogs';
import { AskDialog } from './askDialog';
import { numbered, withChoices } from '../src/bot/prompts';
import { DialogDeps, sessionOf } from '../src/bot/session';
import { recognize } from '../src/survey/recognize';

export const CONSENT_DIALOG = 'consentDialog';

const CONSENT_QUESTION = { id: 'consent', type: 'yes_no', dontKnow: false, optional: false } as const;

/** Explains purpose and anonymity and asks for consent. Ends with true (consented) or false. */
export class ConsentDialog extends AskDialog {
  constructor(private readonly deps: DialogDeps) {
    super(CONSENT_DIALOG);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const lng = await this.language(dc.context);
    const { texts } = this.deps;
    // Three short messages rather than one long one: each fits an SMS budget and a phone screen.
    for (const part of ['consent.purpose', 'consent.anonymity', 'consent.after']) {
      await dc.context.sendActivity(texts.s(lng, part, { organisation: texts.organisationName(lng) }));
    }
    await this.ask(dc.context);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const lng = await this.language(dc.context);
    const { texts } = this.deps;
    if (dc.context.activity.type !== ActivityTypes.Message) return this.resumeDialog(dc, DialogReason.continueCalled);
    const r = recognize(CONSENT_QUESTION, dc.context.activity.text ?? '', texts.yesNoVocabulary(lng));
    if (!r.ok) {
      await dc.context.sendActivity(texts.t(lng, `bot:reprompt.${r.reason}`));
      await this.ask(dc.context);
      return Dialog.EndOfTurn;
    }
    return dc.endDialog(r.value === 'yes');
  }

  protected async ask(context: TurnContext): Promise<void> {
    const lng = await this.language(context);
    const { texts } = this.deps;
    const choices = ['yes', 'no'].map((o) => texts.optionLabel(lng, o));
    await context.sendActivity(withChoices(`${texts.s(lng, 'consent.ask')}\n${numbered(choices)}`, choices));
  }

  private async language(context: TurnContext): Promise<string> {
    return (await sessionOf(this.deps, context)).lang ?? this.deps.texts.defaultLocale;
  }
}
