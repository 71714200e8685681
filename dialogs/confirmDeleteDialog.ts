import { Dialog, DialogContext, DialogTurnResult } from '../src/bot/dialogFramework';
import { SurveyTurn } from '../src/bot/surveyTurn';
import { YES_NO_PROMPTS } from '../src/language/words';
import { YesNoDialog, YesNoQuestion } from './askDialog';
import { DialogDeps } from './dialogDeps';

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

  protected question(turn: SurveyTurn): YesNoQuestion {
    return { lng: turn.lng, text: turn.t('bot:delete.confirm'), prompt: YES_NO_PROMPTS.delete };
  }

  protected async answered(dc: DialogContext, turn: SurveyTurn, yes: boolean): Promise<DialogTurnResult> {
    if (!yes) {
      await turn.say(turn.t('bot:delete.kept'));
      return dc.endDialog({ deleted: false } satisfies DeleteResult);
    }
    await turn.response.withdraw();
    await turn.say(turn.t('bot:delete.done'));
    return dc.endDialog({ deleted: true } satisfies DeleteResult);
  }
}
