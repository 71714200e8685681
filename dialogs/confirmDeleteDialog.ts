import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogTurnResult } from '../src/bot/dialogFramework';
import { YesNoDialog, YesNoQuestion } from './askDialog';
import { DialogDeps, sessionOf } from '../src/bot/session';
import { YES_NO_PROMPTS } from '../src/language/words';

export const CONFIRM_DELETE_DIALOG = 'confirmDeleteDialog';

export interface DeleteResult {
  deleted: boolean;
}

/**
 * Withdrawal: after a yes, deletes this response and every answer in it. Only possible while the
 * conversation runs; afterwards nothing links the respondent to the response (the consent text
 * says so).
 */
export class ConfirmDeleteDialog extends YesNoDialog {
  constructor(deps: DialogDeps) {
    super(CONFIRM_DELETE_DIALOG, deps);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await this.ask(dc.context, dc.activeDialog!);
    return Dialog.EndOfTurn;
  }

  protected async question(context: TurnContext): Promise<YesNoQuestion> {
    const lng = (await sessionOf(this.deps, context)).lang ?? this.deps.texts.defaultLocale;
    return { lng, text: this.deps.texts.t(lng, 'bot:delete.confirm'), prompt: YES_NO_PROMPTS.delete };
  }

  protected async answered(dc: DialogContext, yes: boolean): Promise<DialogTurnResult> {
    const session = await sessionOf(this.deps, dc.context);
    const { texts, responses } = this.deps;
    const lng = session.lang ?? texts.defaultLocale;
    if (!yes) {
      await dc.context.sendActivity(texts.t(lng, 'bot:delete.kept'));
      return dc.endDialog({ deleted: false } satisfies DeleteResult);
    }
    if (session.responseId) await responses.withdraw(dc.context, session.responseId);
    session.responseId = undefined;
    await dc.context.sendActivity(texts.t(lng, 'bot:delete.done'));
    return dc.endDialog({ deleted: true } satisfies DeleteResult);
  }
}
