import { ActivityTypes } from 'botbuilder';
import { ComponentDialog, Dialog, DialogContext, DialogTurnResult } from '../src/bot/dialogFramework';
import { Command } from '../src/language/texts';
import { nextStep } from '../src/survey/engine';
import { CONFIRM_DELETE_DIALOG } from './confirmDeleteDialog';
import { CONSENT_DIALOG } from './consentDialog';
import { DialogDeps } from './dialogDeps';
import { LANGUAGE_DIALOG, LanguageOptions } from './languageDialog';
import { QUESTION_DIALOG } from './questionDialog';

/**
 * Everything a respondent can write instead of an answer, handled in one place before the active
 * dialog sees the message, as the Bot Framework samples' cancel-and-help base dialog does: any
 * message ends a pause; at consent and at every question, help, language and stop (pause); at a
 * question also back, delete and "I don't understand". Each is recognised in the respondent's
 * language (src/language/words.ts) and then the interrupted question is asked again.
 */
export abstract class InterruptionsDialog extends ComponentDialog {
  constructor(
    id: string,
    protected readonly deps: DialogDeps,
  ) {
    super(id);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  /** The turn's result when the message was an interruption; undefined when the active dialog should have it. */
  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const turn = await this.deps.turns.of(innerDc.context);
    const { state, texts } = turn;
    const activity = innerDc.context.activity;
    if (activity.type !== ActivityTypes.Message) return undefined;
    if (state.paused) {
      // Any message ends a pause; it is not taken as an answer, since it was written to wake the bot.
      state.paused = false;
      await turn.say(turn.t('bot:pause.resumed'));
      return this.askAgain(innerDc);
    }
    const active = innerDc.activeDialog?.id;
    const atQuestion = active === QUESTION_DIALOG;
    if (!atQuestion && active !== CONSENT_DIALOG) return undefined;
    const keyword = (c: Command) => texts.words.keyword(turn.lng, c);
    switch (texts.words.command(turn.lng, activity.text)) {
      case Command.Help:
        await turn.say(
          turn.t('bot:help.text', {
            back: keyword(Command.Back),
            language: keyword(Command.Language),
            stop: keyword(Command.Stop),
            delete: keyword(Command.Delete),
          }),
        );
        return this.askAgain(innerDc);
      case Command.Language:
        return innerDc.beginDialog(LANGUAGE_DIALOG, { switching: true } satisfies LanguageOptions);
      case Command.Stop:
        state.paused = true;
        await turn.say(turn.t('bot:pause.paused'));
        return Dialog.EndOfTurn;
      case Command.Delete:
        return atQuestion ? innerDc.beginDialog(CONFIRM_DELETE_DIALOG) : undefined;
      case Command.Back:
        if (!atQuestion) return undefined;
        // At "Did I understand you right?", back takes back what was just typed: the question again.
        if (turn.response.question.pending) delete turn.response.question.pending;
        else if (!(await turn.response.back())) await turn.say(turn.t('bot:back.first'));
        return this.askAgain(innerDc);
      case Command.DontUnderstand:
        return atQuestion ? this.reexplain(innerDc) : undefined;
      default:
        return undefined;
    }
  }

  /**
   * "I don't understand": the question again in simpler words; the second time at the same
   * question, also the offer of another language. Counted on the response (src/bot/responseLifecycle.ts).
   */
  private async reexplain(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const turn = await this.deps.turns.of(innerDc.context);
    const step = nextStep(turn.survey, turn.state.progress.answers);
    if (!step) return undefined;
    delete turn.response.question.pending;
    const times = await turn.response.notUnderstood(step);
    const vars = step.repeat ? { area: turn.texts.optionLabel(turn.lng, step.repeat.option) } : {};
    await turn.say(`${turn.t('bot:understand.simpler')}\n${turn.s(`questions.${step.question.id}.simple`, vars)}`);
    if (times > 1) await turn.say(turn.t('bot:understand.offer_language', { language: turn.texts.words.keyword(turn.lng, Command.Language) }));
    return this.askAgain(innerDc);
  }

  private async askAgain(innerDc: DialogContext): Promise<DialogTurnResult> {
    await innerDc.repromptDialog();
    return Dialog.EndOfTurn;
  }
}
