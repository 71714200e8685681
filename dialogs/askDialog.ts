import { TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogReason, DialogTurnResult } from 'botbuilder-dialogs';

/**
 * A dialog that asks one thing and, whenever it comes back to the top of the stack (after help,
 * a language switch, a pause or an error), asks it again. botbuilder's default `resumeDialog`
 * would end the dialog instead, losing the respondent's place.
 */
export abstract class AskDialog<O extends object = object> extends Dialog<O> {
  protected abstract ask(context: TurnContext, instance: DialogInstance): Promise<void>;

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.ask(context, instance);
  }

  override async resumeDialog(dc: DialogContext, _reason: DialogReason, _result?: unknown): Promise<DialogTurnResult> {
    await this.ask(dc.context, dc.activeDialog!);
    return Dialog.EndOfTurn;
  }
}
