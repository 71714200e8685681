import { ActivityTypes, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogReason, DialogTurnResult } from '../src/bot/dialogFramework';
import { numbered, renderQuestion, withChoices } from '../src/bot/prompts';
import { DialogDeps, Session, sessionOf } from '../src/bot/session';
import { Command } from '../src/language/texts';
import { redact } from '../src/privacy/redact';
import { answer, back, nextStep, parseStepKey, progressOf, Step } from '../src/survey/engine';
import { AnswerValue } from '../src/survey/engine';
import { Unsure, recognize, yesOrNo } from '../src/survey/recognize';
import { YES_NO_PROMPTS } from '../src/language/words';

/** The prompt "Did I understand you right?" answers with the survey's own yes and no. */
const YES_NO = { id: 'yes_no', type: 'yes_no', dontKnow: false, optional: false } as const;
import { DeleteResult } from './confirmDeleteDialog';

export const QUESTION_DIALOG = 'questionDialog';

export interface SurveyOutcome {
  completed: boolean;
  withdrawn: boolean;
}

/** A typed answer the bot read but must confirm before storing it (src/survey/recognize.ts). */
interface PendingAnswer {
  key: string;
  value: AnswerValue;
  /** The number as the respondent typed it, for number questions that store a band. */
  number?: number;
}

interface QuestionState {
  shown?: { key: string; lng: string; fallback: boolean };
  confused?: Record<string, number>;
  pending?: PendingAnswer;
}

/**
 * One dialog for every question: the survey engine decides what comes next, this dialog only
 * asks, recognises and records. Each answer is written with the turn that took it, so a crash loses nothing acknowledged.
 */
export class QuestionDialog extends Dialog {
  constructor(private readonly deps: DialogDeps) {
    super(QUESTION_DIALOG);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.askNext(dc);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { texts, responses } = this.deps;
    const session = await sessionOf(this.deps, dc.context);
    const lng = session.lang ?? texts.defaultLocale;
    const activity = dc.context.activity;
    if (activity.type !== ActivityTypes.Message) return this.askNext(dc);

    const command = texts.words.command(lng, activity.text);
    const state = dc.activeDialog!.state as QuestionState;
    const pending = state.pending;
    delete state.pending;
    // "Back" at "Did I understand you right?" takes back what was just typed: the question again.
    if (command === Command.Back && pending) return this.askNext(dc);
    if (command === Command.Back) {
      const undone = back(session.progress);
      if (!undone) {
        await dc.context.sendActivity(texts.t(lng, 'bot:back.first'));
      } else {
        session.progress = undone.progress;
        await responses.undo(dc.context, session.responseId!, [parseStepKey(undone.key)]);
      }
      return this.askNext(dc);
    }

    const step = nextStep(texts.survey, session.progress.answers);
    if (!step) return dc.endDialog({ completed: true, withdrawn: false } satisfies SurveyOutcome);
    if (command === Command.DontUnderstand) return this.reexplain(dc, session, step);
    const text = activity.text ?? '';
    if (!text.trim() && (activity.attachments?.length ?? 0) > 0) {
      await dc.context.sendActivity(texts.t(lng, 'bot:reprompt.not_text'));
      return this.askNext(dc);
    }
    if (pending?.key === step.key) {
      const confirmed = yesOrNo(recognize(YES_NO, text, texts.words.yesNo(lng, YES_NO_PROMPTS.answer)));
      if (confirmed === 'yes') {
        await this.record(dc, session, step, pending.value);
        return this.askNext(dc);
      }
      if (confirmed === 'no') {
        // Counted: a reading the respondent refused is a measure of how well typed answers are understood.
        session.confirmationsDeclined = (session.confirmationsDeclined ?? 0) + 1;
        await responses.count(dc.context, session.responseId!, { confirmationsDeclined: session.confirmationsDeclined });
        return this.askNext(dc);
      }
    }
    const r = recognize(step.question, text, texts.words.vocabulary(lng, step.question));
    if (!r.ok && r.reason === 'confirm') return this.confirm(dc, session, step, r);
    if (!r.ok && pending?.key === step.key) {
      // Neither yes nor no, nor another answer: the same question about the same reading.
      state.pending = pending;
      await dc.context.sendActivity(texts.t(lng, 'bot:reprompt.no_match'));
      await this.askPending(dc.context, lng, pending);
      return Dialog.EndOfTurn;
    }
    if (!r.ok) {
      // An answer that fits two options is asked again, and counted like "I don't understand".
      if (r.reason === 'ambiguous') {
        session.notUnderstood += 1;
        await responses.count(dc.context, session.responseId!, { notUnderstoodCount: session.notUnderstood });
      }
      await dc.context.sendActivity(texts.t(lng, `bot:reprompt.${r.reason}`, { option: this.exclusiveLabel(lng, step) }));
      return this.askNext(dc);
    }
    const value = step.question.type === 'text' && typeof r.value === 'string' ? redact(r.value) : r.value;
    await this.record(dc, session, step, value);
    return this.askNext(dc);
  }

  override async resumeDialog(dc: DialogContext, _reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    if ((result as DeleteResult | undefined)?.deleted) return dc.endDialog({ completed: false, withdrawn: true } satisfies SurveyOutcome);
    return this.askNext(dc);
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const session = await sessionOf(this.deps, context);
    const step = nextStep(this.deps.texts.survey, session.progress.answers);
    if (step) await this.ask(context, instance, session, step);
  }

  private async askNext(dc: DialogContext): Promise<DialogTurnResult> {
    const session = await sessionOf(this.deps, dc.context);
    const step = nextStep(this.deps.texts.survey, session.progress.answers);
    if (!step) return dc.endDialog({ completed: true, withdrawn: false } satisfies SurveyOutcome);
    await this.ask(dc.context, dc.activeDialog!, session, step);
    return Dialog.EndOfTurn;
  }

  private async ask(context: TurnContext, instance: DialogInstance, session: Session, step: Step): Promise<void> {
    const { texts } = this.deps;
    const lng = session.lang ?? texts.defaultLocale;
    // Back after help, a pause or a language switch: the confirmation that was open, in the language now chosen.
    const pending = (instance.state as QuestionState).pending;
    if (pending?.key === step.key) return this.askPending(context, lng, pending);
    const rendered = renderQuestion(texts, lng, step, progressOf(texts.survey, session.progress.answers, step.key));
    // Remember how the question was shown: that language is stored with the answer.
    instance.state.shown = { key: step.key, lng, fallback: rendered.fallback };
    await context.sendActivity(rendered.activity);
  }

  /**
   * A typed answer read from inside a sentence, beside a negation or from word stems: the bot names
   * what it understood and asks; "yes" stores it, "no" asks the question again with its list.
   * Buttons, numbers and whole labels never come here, so they cost no extra turn.
   */
  private async confirm(dc: DialogContext, session: Session, step: Step, r: Unsure): Promise<DialogTurnResult> {
    const { texts, responses } = this.deps;
    const lng = session.lang ?? texts.defaultLocale;
    const pending: PendingAnswer = { key: step.key, value: r.value, ...(r.number !== undefined ? { number: r.number } : {}) };
    (dc.activeDialog!.state as QuestionState).pending = pending;
    session.confirmations = (session.confirmations ?? 0) + 1;
    await responses.count(dc.context, session.responseId!, { confirmations: session.confirmations });
    await this.askPending(dc.context, lng, pending);
    return Dialog.EndOfTurn;
  }

  private async askPending(context: TurnContext, lng: string, pending: PendingAnswer): Promise<void> {
    const { texts } = this.deps;
    const shown =
      pending.number !== undefined
        ? String(pending.number)
        : (Array.isArray(pending.value) ? pending.value : [String(pending.value)])
            .map((o) => texts.optionLabel(lng, o))
            .join(texts.t(lng, 'bot:confirm.separator'));
    const labels = (['yes', 'no'] as const).map((o) => texts.optionLabel(lng, o));
    await context.sendActivity(withChoices(texts.lines(lng, texts.t(lng, 'bot:confirm.ask', { answer: shown }), numbered(labels)), labels));
  }

  private async record(dc: DialogContext, session: Session, step: Step, value: Parameters<typeof answer>[3]): Promise<void> {
    const { texts, responses } = this.deps;
    const shown = dc.activeDialog!.state.shown as { key: string; lng: string; fallback: boolean } | undefined;
    const lng = shown?.key === step.key ? shown.lng : (session.lang ?? texts.defaultLocale);
    const { progress, dropped } = answer(texts.survey, session.progress, step.key, value);
    const { questionId, iteration } = parseStepKey(step.key);
    // How often "I don't understand" came before this answer: the comprehension analysis reads it per question.
    const notUnderstood = (dc.activeDialog!.state as { confused?: Record<string, number> }).confused?.[step.key] ?? 0;
    // One change: the answer, and the answers of the branch it closed (engine.ts promises that a
    // response never keeps answers from a closed branch).
    await responses.answer(
      dc.context,
      { responseId: session.responseId!, questionId, iteration, value, language: lng, fallback: shown?.fallback ?? false, notUnderstood },
      dropped.map(parseStepKey),
    );
    session.progress = progress;
  }

  /**
   * "I don't understand": say the question again in simpler words; the second time at the same
   * question, also offer another language. Each time is counted on the response, because not
   * understanding is itself the barrier the strategy asks about.
   */
  private async reexplain(dc: DialogContext, session: Session, step: Step): Promise<DialogTurnResult> {
    const { texts, responses } = this.deps;
    const lng = session.lang ?? texts.defaultLocale;
    session.notUnderstood += 1;
    await responses.count(dc.context, session.responseId!, { notUnderstoodCount: session.notUnderstood });
    const state = dc.activeDialog!.state as { confused?: Record<string, number> };
    const times = ((state.confused ??= {})[step.key] = (state.confused[step.key] ?? 0) + 1);
    const vars = step.repeat ? { area: texts.optionLabel(lng, step.repeat.option) } : {};
    await dc.context.sendActivity(`${texts.t(lng, 'bot:understand.simpler')}\n${texts.s(lng, `questions.${step.question.id}.simple`, vars)}`);
    if (times > 1) await dc.context.sendActivity(texts.t(lng, 'bot:understand.offer_language', { language: texts.words.keyword(lng, Command.Language) }));
    return this.askNext(dc);
  }

  private exclusiveLabel(lng: string, step: Step): string {
    const q = step.question;
    return q.type === 'multi' && q.exclusive.length ? this.deps.texts.optionLabel(lng, q.exclusive[0]) : '';
  }
}
