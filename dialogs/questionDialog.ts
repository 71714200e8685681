import { ActivityTypes, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogReason, DialogTurnResult } from '../src/bot/dialogFramework';
import { numbered, renderQuestion, withChoices } from '../src/bot/prompts';
import { PendingAnswer } from '../src/bot/respondentState';
import { SurveyTurn } from '../src/bot/surveyTurn';
import { YES_NO_PROMPTS } from '../src/language/words';
import { redact } from '../src/privacy/redact';
import { Step, nextStep, progressOf } from '../src/survey/engine';
import { Unsure, recognize, yesOrNo } from '../src/survey/recognize';
import { DeleteResult } from './confirmDeleteDialog';
import { DialogDeps } from './dialogDeps';

export const QUESTION_DIALOG = 'questionDialog';

/** The prompt "Did I understand you right?" answers with the survey's own yes and no. */
const YES_NO = { id: 'yes_no', type: 'yes_no', dontKnow: false, optional: false } as const;

export interface SurveyOutcome {
  completed: boolean;
  withdrawn: boolean;
}

/**
 * One dialog for every question: the survey engine decides what comes next, this dialog only
 * asks, recognises and hands the answer to the response's owner (src/bot/responseLifecycle.ts).
 * Each answer is written with the turn that took it, so a crash loses nothing acknowledged.
 * Help, back, "I don't understand" and the rest reach it only as a question to ask again
 * (dialogs/interruptionsDialog.ts).
 */
export class QuestionDialog extends Dialog {
  constructor(private readonly deps: DialogDeps) {
    super(QUESTION_DIALOG);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.askNext(dc);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const turn = await this.deps.turns.of(dc.context);
    const activity = dc.context.activity;
    if (activity.type !== ActivityTypes.Message) return this.askNext(dc);
    const question = turn.response.question;
    const pending = question.pending;
    delete question.pending;

    const step = nextStep(turn.survey, turn.state.progress.answers);
    if (!step) return dc.endDialog({ completed: true, withdrawn: false } satisfies SurveyOutcome);
    const text = activity.text ?? '';
    if (!text.trim() && (activity.attachments?.length ?? 0) > 0) {
      await turn.say(turn.t('bot:reprompt.not_text'));
      return this.askNext(dc);
    }
    if (pending?.key === step.key) {
      const confirmed = yesOrNo(recognize(YES_NO, text, turn.texts.words.yesNo(turn.lng, YES_NO_PROMPTS.answer)));
      if (confirmed === 'yes') {
        await turn.response.answer(step, pending.value);
        return this.askNext(dc);
      }
      if (confirmed === 'no') {
        await turn.response.confirmationDeclined();
        return this.askNext(dc);
      }
    }
    const r = recognize(step.question, text, turn.texts.words.vocabulary(turn.lng, step.question));
    if (!r.ok && r.reason === 'confirm') return this.confirm(turn, step, r);
    if (!r.ok && pending?.key === step.key) {
      // Neither yes nor no, nor another answer: the same question about the same reading.
      question.pending = pending;
      await turn.say(turn.t('bot:reprompt.no_match'));
      await this.askPending(turn, pending);
      return Dialog.EndOfTurn;
    }
    if (!r.ok) {
      // An answer that fits two options is asked again, and counted like "I don't understand".
      if (r.reason === 'ambiguous') await turn.response.notUnderstoodAnswer();
      await turn.say(turn.t(`bot:reprompt.${r.reason}`, { option: this.exclusiveLabel(turn, step) }));
      return this.askNext(dc);
    }
    const value = step.question.type === 'text' && typeof r.value === 'string' ? redact(r.value) : r.value;
    await turn.response.answer(step, value);
    return this.askNext(dc);
  }

  override async resumeDialog(dc: DialogContext, _reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    if ((result as DeleteResult | undefined)?.deleted) return dc.endDialog({ completed: false, withdrawn: true } satisfies SurveyOutcome);
    return this.askNext(dc);
  }

  override async repromptDialog(context: TurnContext): Promise<void> {
    const turn = await this.deps.turns.of(context);
    const step = nextStep(turn.survey, turn.state.progress.answers);
    if (step) await this.ask(turn, step);
  }

  private async askNext(dc: DialogContext): Promise<DialogTurnResult> {
    const turn = await this.deps.turns.of(dc.context);
    const step = nextStep(turn.survey, turn.state.progress.answers);
    if (!step) return dc.endDialog({ completed: true, withdrawn: false } satisfies SurveyOutcome);
    await this.ask(turn, step);
    return Dialog.EndOfTurn;
  }

  private async ask(turn: SurveyTurn, step: Step): Promise<void> {
    // Back after help, a pause or a language switch: the confirmation that was open, in the language now chosen.
    const pending = turn.response.question.pending;
    if (pending?.key === step.key) return this.askPending(turn, pending);
    const rendered = renderQuestion(turn.texts, turn.lng, step, progressOf(turn.survey, turn.state.progress.answers, step.key));
    // Remember how the question was shown: that language is stored with the answer.
    turn.response.shown(step, rendered.fallback);
    await turn.say(rendered.activity);
  }

  /**
   * A typed answer read from inside a sentence, beside a negation or from word stems: the bot names
   * what it understood and asks; "yes" stores it, "no" asks the question again with its list.
   * Buttons, numbers and whole labels never come here, so they cost no extra turn.
   */
  private async confirm(turn: SurveyTurn, step: Step, r: Unsure): Promise<DialogTurnResult> {
    const pending: PendingAnswer = { key: step.key, value: r.value, ...(r.number !== undefined ? { number: r.number } : {}) };
    await turn.response.confirmationAsked(pending);
    await this.askPending(turn, pending);
    return Dialog.EndOfTurn;
  }

  private async askPending(turn: SurveyTurn, pending: PendingAnswer): Promise<void> {
    const { texts, lng } = turn;
    const shown =
      pending.number !== undefined
        ? String(pending.number)
        : (Array.isArray(pending.value) ? pending.value : [String(pending.value)]).map((o) => texts.optionLabel(lng, o)).join(turn.t('bot:confirm.separator'));
    const labels = (['yes', 'no'] as const).map((o) => texts.optionLabel(lng, o));
    await turn.say(withChoices(texts.lines(lng, turn.t('bot:confirm.ask', { answer: shown }), numbered(labels)), labels));
  }

  private exclusiveLabel(turn: SurveyTurn, step: Step): string {
    const q = step.question;
    return q.type === 'multi' && q.exclusive.length ? turn.texts.optionLabel(turn.lng, q.exclusive[0]) : '';
  }
}
