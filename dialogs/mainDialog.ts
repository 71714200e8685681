import { ActivityTypes, EndOfConversationCodes } from 'botbuilder';
import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from '../src/bot/dialogFramework';
import { ConfirmDeleteDialog } from './confirmDeleteDialog';
import { CONSENT_DIALOG, ConsentDialog } from './consentDialog';
import { DialogDeps } from './dialogDeps';
import { InterruptionsDialog } from './interruptionsDialog';
import { LANGUAGE_DIALOG, LanguageDialog, LanguageOptions } from './languageDialog';
import { QUESTION_DIALOG, QuestionDialog, SurveyOutcome } from './questionDialog';

export const MAIN_DIALOG = 'mainDialog';
const FLOW = 'surveyFlow';

/**
 * language → consent → questions → thanks. What a respondent may write instead of an answer
 * (help, back, language, stop, delete, "I don't understand") is handled before these steps, in
 * {@link InterruptionsDialog}; the response itself is owned by src/bot/responseLifecycle.ts.
 */
export class MainDialog extends InterruptionsDialog {
  constructor(deps: DialogDeps) {
    super(MAIN_DIALOG, deps);
    this.addDialog(new LanguageDialog(deps))
      .addDialog(new ConsentDialog(deps))
      .addDialog(new QuestionDialog(deps))
      .addDialog(new ConfirmDeleteDialog(deps))
      .addDialog(
        new WaterfallDialog(FLOW, [this.languageStep.bind(this), this.consentStep.bind(this), this.surveyStep.bind(this), this.thanksStep.bind(this)]),
      );
    this.initialDialogId = FLOW;
  }

  private async languageStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = await this.deps.turns.of(step.context);
    if (turn.state.lang) return step.next(turn.state.lang);
    return step.beginDialog(LANGUAGE_DIALOG, { switching: false } satisfies LanguageOptions);
  }

  private async consentStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = await this.deps.turns.of(step.context);
    if (turn.response.started) return step.next(true);
    return step.beginDialog(CONSENT_DIALOG);
  }

  private async surveyStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = await this.deps.turns.of(step.context);
    if (step.result !== true) {
      // No consent, nothing stored: there is no response row to delete.
      await turn.say(turn.s('consent.declined'));
      return this.finish(step);
    }
    await turn.response.start();
    return step.beginDialog(QUESTION_DIALOG);
  }

  private async thanksStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = await this.deps.turns.of(step.context);
    const outcome = step.result as SurveyOutcome;
    if (outcome.completed && turn.response.started) {
      await turn.response.complete();
      await turn.say(turn.s('thanks.done'));
      await turn.say(turn.s('thanks.where_help'));
    }
    return this.finish(step);
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const turn = await this.deps.turns.of(step.context);
    turn.response.finish();
    await turn.say({ type: ActivityTypes.EndOfConversation, code: EndOfConversationCodes.CompletedSuccessfully });
    return step.endDialog();
  }
}
