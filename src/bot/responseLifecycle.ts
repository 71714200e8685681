import crypto from 'node:crypto';
import { channelKind } from '../identity';
import { isoWeek } from '../period';
import { ResponseOp, ResponseStore } from '../store/store';
import { AnswerValue, Step, answer, back, parseStepKey } from '../survey/engine';
import { PendingAnswer, QuestionState } from './respondentState';
import { TurnContext } from 'botbuilder';
import { SurveyDefinition } from '../survey/definition';
import { DIRECT } from '../survey/sources';
import { RespondentState } from './respondentState';
import { TurnRecord } from './turn';

/** What the lifecycle needs of its turn (src/bot/surveyTurn.ts makes one for each turn). */
export interface LifecycleTurn {
  readonly context: TurnContext;
  readonly state: RespondentState;
  readonly survey: SurveyDefinition;
  readonly lng: string;
  readonly record: TurnRecord;
  now(): Date;
}

/**
 * The one owner of a respondent's response: it starts it at consent, records each answer and
 * what the respondent did on the way (back, "I don't understand", a language switch, a
 * confirmation), completes it, or withdraws it. The dialogs ask for these by intent; this module
 * builds the records, keeps the respondent state in step with them, and hands each change to the
 * turn's one write (src/bot/turn.ts), or applies it at once when no bot turn runs (a dialog under
 * botbuilder-testing alone).
 *
 * The response holds no link to the respondent but their state, and the state is deleted when the
 * survey ends (README, Privacy).
 */
export class ResponseLifecycle {
  constructor(
    private readonly turn: LifecycleTurn,
    private readonly store: Pick<ResponseStore, 'applyResponses'>,
  ) {}

  private get state() {
    return this.turn.state;
  }

  /** The question being asked now: how it was shown, not-understood counts, a reading to confirm. */
  get question(): QuestionState {
    return (this.state.question ??= {});
  }

  /** Whether the respondent has consented and a response exists. */
  get started(): boolean {
    return this.state.responseId !== undefined;
  }

  /** A respondent who consented: a new response, in the language they chose, on this channel, this week. */
  async start(): Promise<void> {
    if (this.state.responseId) return;
    const id = crypto.randomUUID();
    const { survey } = this.turn;
    await this.record({
      kind: 'start',
      response: {
        id,
        surveyId: survey.id,
        surveyVersion: survey.version,
        consentVersion: survey.consentVersion,
        channel: channelKind(this.turn.context.activity.channelId),
        period: isoWeek(this.turn.now()),
        language: this.turn.lng,
        source: this.state.source ?? DIRECT,
      },
    });
    this.state.responseId = id;
  }

  /** Remembers how a question was shown: that language, and whether it fell back, are stored with its answer. */
  shown(step: Step, fallback: boolean): void {
    this.question.shown = { key: step.key, lng: this.turn.lng, fallback };
  }

  /**
   * An answer, and the removal of the answers it made obsolete (a closed branch), in one change:
   * a response never keeps answers from a closed branch (src/survey/engine.ts).
   */
  async answer(step: Step, value: AnswerValue): Promise<void> {
    const { shown, confused } = this.question;
    const language = shown?.key === step.key ? shown.lng : this.turn.lng;
    const { progress, dropped } = answer(this.turn.survey, this.state.progress, step.key, value);
    const { questionId, iteration } = parseStepKey(step.key);
    // How often "I don't understand" came before this answer: the comprehension analysis reads it per question.
    const notUnderstood = confused?.[step.key] ?? 0;
    await this.record({
      kind: 'answer',
      answer: { responseId: this.id(), questionId, iteration, value, language, fallback: shown?.fallback ?? false, notUnderstood },
      drop: dropped.map(parseStepKey),
    });
    this.state.progress = progress;
    delete this.question.pending;
  }

  /** "Back": the previous answer is taken away. False at the first question, where there is none. */
  async back(): Promise<boolean> {
    const undone = back(this.state.progress);
    if (!undone) return false;
    this.state.progress = undone.progress;
    await this.record({ kind: 'undo', responseId: this.id(), steps: [parseStepKey(undone.key)] });
    return true;
  }

  /**
   * "I don't understand" at a step, counted on the response and per step, because not understanding
   * is itself the barrier the strategy asks about. Returns how often at this step.
   */
  async notUnderstood(step: Step): Promise<number> {
    await this.notUnderstoodAnswer();
    const confused = (this.question.confused ??= {});
    return (confused[step.key] = (confused[step.key] ?? 0) + 1);
  }

  /** An answer that fits two options is asked again, and counted like "I don't understand". */
  async notUnderstoodAnswer(): Promise<void> {
    this.state.notUnderstood += 1;
    if (this.started) await this.record({ kind: 'update', responseId: this.id(), patch: { notUnderstoodCount: this.state.notUnderstood } });
  }

  /** A reading of a typed answer the respondent is asked to confirm ("Did I understand you right?"). */
  async confirmationAsked(pending: PendingAnswer): Promise<void> {
    this.question.pending = pending;
    this.state.confirmations = (this.state.confirmations ?? 0) + 1;
    await this.record({ kind: 'update', responseId: this.id(), patch: { confirmations: this.state.confirmations } });
  }

  /** The respondent said the reading was wrong: counted, because it measures how well typed answers are understood. */
  async confirmationDeclined(): Promise<void> {
    delete this.question.pending;
    this.state.confirmationsDeclined = (this.state.confirmationsDeclined ?? 0) + 1;
    await this.record({ kind: 'update', responseId: this.id(), patch: { confirmationsDeclined: this.state.confirmationsDeclined } });
  }

  /** The respondent chose a language; a change of language during the survey is counted. */
  async languageChosen(tag: string, switching: boolean): Promise<void> {
    if (switching && this.state.lang && this.state.lang !== tag) {
      this.state.languageSwitches += 1;
      if (this.started) await this.record({ kind: 'update', responseId: this.id(), patch: { languageSwitches: this.state.languageSwitches } });
    }
    this.state.lang = tag;
  }

  /** The last answer is in: the response is final (the database refuses any change to it from now on). */
  async complete(): Promise<void> {
    if (!this.started) return;
    const { languageSwitches, notUnderstood, confirmations, confirmationsDeclined } = this.state;
    await this.record({
      kind: 'update',
      responseId: this.id(),
      patch: {
        status: 'completed',
        languageSwitches,
        notUnderstoodCount: notUnderstood,
        confirmations: confirmations ?? 0,
        confirmationsDeclined: confirmationsDeclined ?? 0,
      },
    });
  }

  /** Withdrawal: the response and every answer of it are deleted. */
  async withdraw(): Promise<void> {
    if (this.state.responseId) await this.record({ kind: 'withdraw', responseId: this.state.responseId });
    this.state.responseId = undefined;
  }

  /** The conversation is over: the bot deletes the respondent state instead of saving it, cutting the last link. */
  finish(): void {
    this.state.finished = true;
  }

  private id(): string {
    if (!this.state.responseId) throw new Error('No response: the respondent has not consented');
    return this.state.responseId;
  }

  private async record(op: ResponseOp): Promise<void> {
    const record = this.turn.record;
    if (record.inBotTurn) record.responses.push(op);
    else await this.store.applyResponses([op]);
  }
}
