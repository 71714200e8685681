import { ActivityTypes, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogReason, DialogTurnResult } from 'botbuilder-dialogs';
import { AskDialog } from './askDialog';
import { numbered, withChoices } from '../src/bot/prompts';
import { DialogDeps, sessionOf } from '../src/bot/session';
import { Question } from '../src/survey/definition';
import { recognize } from '../src/survey/recognize';

export const CONFIRM_DELETE_DIALOG = 'confirmDeleteDialog';

const CONFIRM_QUESTION: Question = { id: 'confirm_delete', type: 'single', options: ['yes', 'no'], optional: false };

export interface DeleteResult {
  deleted: boolean;
}

/**
 * Withdrawal: after a yes, deletes this response and every answer in it. Only possible while the
 * conversation runs; afterwards nothing links the respondent to the response (the consent text
 * says so).
 */
export class ConfirmDeleteDialog extends AskDialog {
  constructor(private readonly deps: DialogDeps) {
    super(CONFIRM_DELETE_DIALOG);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await this.ask(dc.context);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const session = await sessionOf(this.deps, dc.context);
    const lng = session.lang ?? this.deps.texts.defaultLocale;
    const { texts, store } = this.deps;
    if (dc.context.activity.type !== ActivityTypes.Message) return this.resumeDialog(dc, DialogReason.continueCalled);
    const vocab = texts.yesNoVocabulary(lng, texts.t(lng, 'bot:delete.yes'), texts.t(lng, 'bot:delete.no'));
    const r = recognize(CONFIRM_QUESTION, dc.context.activity.text ?? '', vocab);
    if (!r.ok) {
      await dc.context.sendActivity(texts.t(lng, `bot:reprompt.${r.reason}`));
      await this.ask(dc.context);
      return Dialog.EndOfTurn;
    }
    if (r.value !== 'yes') {
      await dc.context.sendActivity(texts.t(lng, 'bot:delete.kept'));
      return dc.endDialog({ deleted: false } satisfies DeleteResult);
    }
    if (session.responseId) await store.deleteResponse(session.responseId);
    session.responseId = undefined;
    await dc.context.sendActivity(texts.t(lng, 'bot:delete.done'));
    return dc.endDialog({ deleted: true } satisfies DeleteResult);
  }

  protected async ask(context: TurnContext): Promise<void> {
    const lng = (await sessionOf(this.deps, context)).lang ?? this.deps.texts.defaultLocale;
    const { texts } = this.deps;
    const choices = [texts.t(lng, 'bot:delete.yes'), texts.t(lng, 'bot:delete.no')];
    await context.sendActivity(withChoices(`${texts.t(lng, 'bot:delete.confirm')}\n${numbered(choices)}`, choices));
  }
}
