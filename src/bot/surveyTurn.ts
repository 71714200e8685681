import { Activity, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { Texts } from '../language/texts';
import { Logger } from '../logger';
import { ResponseStore } from '../store/store';
import { SurveyDefinition } from '../survey/definition';
import { RespondentState, newRespondentState } from './respondentState';
import { ResponseLifecycle } from './responseLifecycle';
import { TurnRecord } from './turn';

/** What every turn shares: the bot's language, where state and responses go, the clock. */
export interface TurnEnvironment {
  texts: Texts;
  /** The respondent state of the turn's respondent (src/bot/respondentStates.ts). */
  respondents: StatePropertyAccessor<RespondentState>;
  /** Where response changes go when a dialog runs without the bot around it (botbuilder-testing). */
  store: Pick<ResponseStore, 'applyResponses'>;
  /** Guesses the language of a first message; undefined when unsure (src/language/detect.ts). */
  detectLanguage: (text: string) => string | undefined;
  now: () => Date;
  logger: Logger;
}

/**
 * One turn of one respondent, made once per turn: the respondent's state, their language, the
 * survey and version they answer, `t`/`s`/`say` in that language, and the one owner of their
 * response. The dialogs receive this and nothing else.
 */
export class SurveyTurn {
  readonly response: ResponseLifecycle;

  constructor(
    readonly context: TurnContext,
    /** Read once for the turn and written with it (src/bot/surveyBot.ts). */
    readonly state: RespondentState,
    private readonly env: TurnEnvironment,
  ) {
    this.response = new ResponseLifecycle(this, env.store);
  }

  /** The respondent's language: their choice, or the bot's default before they have made one. */
  get lng(): string {
    return this.state.lang ?? this.env.texts.defaultLocale;
  }

  get texts(): Texts {
    return this.env.texts;
  }

  get survey(): SurveyDefinition {
    return this.env.texts.survey;
  }

  get record(): TurnRecord {
    return TurnRecord.of(this.context);
  }

  now(): Date {
    return this.env.now();
  }

  detectLanguage(text: string): string | undefined {
    return this.env.detectLanguage(text);
  }

  /** A bot text in the respondent's language. */
  t(key: string, vars?: Record<string, unknown>): string {
    return this.env.texts.t(this.lng, key, vars);
  }

  /** A survey text (question, option, consent) in the respondent's language. */
  s(key: string, vars?: Record<string, unknown>): string {
    return this.env.texts.s(this.lng, key, vars);
  }

  async say(message: string | Partial<Activity>): Promise<void> {
    await this.context.sendActivity(message);
  }
}

/**
 * Makes the {@link SurveyTurn} of each turn, the first time a dialog or the bot asks for it, and
 * forgets it with the state when a turn is run again after a lost race.
 */
export class SurveyTurns {
  /** By the turn's `turnState`, which a channel's context and the proxy botbuilder makes of it share (src/bot/turn.ts). */
  private readonly turns = new WeakMap<TurnContext['turnState'], SurveyTurn>();

  constructor(private readonly env: TurnEnvironment) {}

  get texts(): Texts {
    return this.env.texts;
  }

  async of(context: TurnContext): Promise<SurveyTurn> {
    let turn = this.turns.get(context.turnState);
    if (!turn) {
      const state = await this.env.respondents.get(context, newRespondentState());
      turn = new SurveyTurn(context, state, this.env);
      this.turns.set(context.turnState, turn);
    }
    return turn;
  }

  /** Forgets the turn made for this context, so that a retried turn starts from the state as stored. */
  forget(context: TurnContext): void {
    this.turns.delete(context.turnState);
  }
}
