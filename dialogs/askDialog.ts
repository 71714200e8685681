import { ActivityTypes, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogInstance, DialogReason, DialogTurnResult } from '../src/bot/dialogFramework';
import { numbered, withChoices } from '../src/bot/prompts';
import { SurveyTurn } from '../src/bot/surveyTurn';
import { YesNoPrompt } from '../src/language/texts';
import { Rejection, recognize, yesOrNo } from '../src/survey/recognize';
import { DialogDeps } from './dialogDeps';

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

/** What a {@link YesNoDialog} asks now: in which language, the question, and its prompt's words. */
export interface YesNoQuestion {
  lng: string;
  text: string;
  prompt: YesNoPrompt;
}

const YES_NO = { id: 'yes_no', type: 'yes_no', dontKnow: false, optional: false } as const;

/**
 * The one yes/no prompt of the bot (language confirmation, consent, withdrawal): it shows the
 * question with numbered choices and buttons, recognises "1", "ja", a tapped button or a typed
 * label, and otherwise says why and asks again. An answer that fits both yes and no is asked
 * again and counted as not understood, like an ambiguous survey answer.
 */
export abstract class YesNoDialog<O extends object = object> extends AskDialog<O> {
  constructor(
    id: string,
    protected readonly deps: DialogDeps,
  ) {
    super(id);
  }

  /** The yes/no question to ask now; undefined when this dialog is asking something else. */
  protected abstract question(turn: SurveyTurn, instance: DialogInstance): YesNoQuestion | undefined;

  /** The respondent answered. */
  protected abstract answered(dc: DialogContext, turn: SurveyTurn, yes: boolean): Promise<DialogTurnResult>;

  /**
   * A message that is neither yes nor no, before the bot says it did not understand: a dialog can
   * take it as something else and return its turn result, or return undefined.
   */
  protected async unrecognised(_dc: DialogContext, _turn: SurveyTurn, _text: string, _reason: Rejection): Promise<DialogTurnResult | undefined> {
    return undefined;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== ActivityTypes.Message) return this.resumeDialog(dc, DialogReason.continueCalled);
    const turn = await this.deps.turns.of(dc.context);
    const q = this.question(turn, dc.activeDialog!);
    if (!q) return this.resumeDialog(dc, DialogReason.continueCalled);
    const text = dc.context.activity.text ?? '';
    const r = recognize(YES_NO, text, turn.texts.words.yesNo(q.lng, q.prompt));
    const answer = yesOrNo(r);
    if (answer) return this.answered(dc, turn, answer === 'yes');
    const reason = r.ok || r.reason === 'confirm' ? 'no_match' : r.reason;
    if (reason === 'ambiguous') turn.state.notUnderstood += 1;
    const handled = await this.unrecognised(dc, turn, text, reason);
    if (handled) return handled;
    await turn.say(turn.texts.t(q.lng, `bot:reprompt.${reason}`));
    await this.ask(dc.context, dc.activeDialog!);
    return Dialog.EndOfTurn;
  }

  protected async ask(context: TurnContext, instance: DialogInstance): Promise<void> {
    const turn = await this.deps.turns.of(context);
    const q = this.question(turn, instance);
    if (!q) return;
    const { texts } = turn;
    const labels = (['yes', 'no'] as const).map((o) => (q.prompt.labels ? texts.t(q.lng, q.prompt.labels[o]) : texts.optionLabel(q.lng, o)));
    await turn.say(withChoices(texts.lines(q.lng, q.text, numbered(labels)), labels));
  }
}
