import { TurnContext } from 'botbuilder';
import { AnswerRecord, NewResponse, ResponseOp, ResponsePatch, ResponseStore, StepRef } from '../store/store';
import { TurnWork } from './turn';

/**
 * All the dialogs may do to the stored responses. Inside a bot turn each change joins the turn's
 * one write (src/bot/turn.ts), committed with the respondent's state; outside one (a dialog run
 * by botbuilder-testing alone) it is applied at once.
 */
export class ResponseRecorder {
  constructor(private readonly store: Pick<ResponseStore, 'applyResponses'>) {}

  /** A respondent who consented: a new response, with no link to them but their state. */
  start(context: TurnContext, response: NewResponse): Promise<void> {
    return this.record(context, { kind: 'start', response });
  }

  /** An answer, and the removal of the answers it made obsolete (a closed branch), in one write. */
  answer(context: TurnContext, answer: AnswerRecord, drop: readonly StepRef[]): Promise<void> {
    return this.record(context, { kind: 'answer', answer, drop: [...drop] });
  }

  /** "Back": the previous answer is taken away. */
  undo(context: TurnContext, responseId: string, steps: readonly StepRef[]): Promise<void> {
    return this.record(context, { kind: 'undo', responseId, steps: [...steps] });
  }

  /** Language switches and "I don't understand", counted as they happen. */
  count(
    context: TurnContext,
    responseId: string,
    patch: Pick<ResponsePatch, 'languageSwitches' | 'notUnderstoodCount' | 'confirmations' | 'confirmationsDeclined'>,
  ): Promise<void> {
    return this.record(context, { kind: 'update', responseId, patch });
  }

  complete(context: TurnContext, responseId: string, patch: Omit<ResponsePatch, 'status'> = {}): Promise<void> {
    return this.record(context, { kind: 'update', responseId, patch: { ...patch, status: 'completed' } });
  }

  /** Withdrawal: the response and every answer of it are deleted. */
  withdraw(context: TurnContext, responseId: string): Promise<void> {
    return this.record(context, { kind: 'withdraw', responseId });
  }

  private async record(context: TurnContext, op: ResponseOp): Promise<void> {
    const work = TurnWork.of(context);
    if (work) work.responses.push(op);
    else await this.store.applyResponses([op]);
  }
}
