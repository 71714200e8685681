import { Activity, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { Texts } from '../language/texts';
import { SurveyCatalog, SurveyChoice } from '../registry/surveyCatalog';
import { Logger } from '../logger';
import { ResponseStore } from '../store/store';
import { SurveyDefinition } from '../survey/definition';
import { responseSource } from '../survey/sources';
import { RespondentState, newRespondentState } from './respondentState';
import { ResponseLifecycle } from './responseLifecycle';
import { TurnRecord } from './turn';

/** What every turn shares: the surveys and their texts, where state and responses go, the clock. */
export interface TurnEnvironment {
  catalog: SurveyCatalog;
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
    /** The texts of the survey version the conversation is on. */
    readonly texts: Texts,
    /** That version, and whether it still takes answers. */
    readonly choice: SurveyChoice,
    private readonly env: TurnEnvironment,
  ) {
    this.response = new ResponseLifecycle(this, env.store);
  }

  /** The survey has ended (closed by an operator): the respondent is told, and nothing is stored. */
  get closed(): boolean {
    return this.choice.closed;
  }

  /** The respondent's language: their choice, or the bot's default before they have made one. */
  get lng(): string {
    return this.state.lang ?? this.texts.defaultLocale;
  }

  get survey(): SurveyDefinition {
    return this.texts.survey;
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
    return this.texts.t(this.lng, key, vars);
  }

  /** A survey text (question, option, consent) in the respondent's language. */
  s(key: string, vars?: Record<string, unknown>): string {
    return this.texts.s(this.lng, key, vars);
  }

  async say(message: string | Partial<Activity>): Promise<void> {
    await this.context.sendActivity(message);
  }
}

/**
 * The survey a Bot Framework client asks for when it opens a conversation (`channelData.survey`,
 * or `value.survey` on the conversation update, for a client that opens the conversation with one).
 */
function requestedSurvey(activity: Partial<Activity>): string | undefined {
  for (const holder of [activity.channelData, activity.value] as unknown[]) {
    const survey = holder && typeof holder === 'object' ? (holder as { survey?: unknown }).survey : undefined;
    if (typeof survey === 'string' && /^[a-z][a-z0-9-]{0,63}$/.test(survey)) return survey;
  }
  return undefined;
}

/**
 * Makes the {@link SurveyTurn} of each turn, the first time a dialog or the bot asks for it, and
 * forgets it with the state when a turn is run again after a lost race.
 */
export class SurveyTurns {
  /** By the turn's `turnState`, which a channel's context and the proxy botbuilder makes of it share (src/bot/turn.ts). */
  private readonly turns = new WeakMap<TurnContext['turnState'], SurveyTurn>();

  constructor(private readonly env: TurnEnvironment) {}

  async of(context: TurnContext): Promise<SurveyTurn> {
    let turn = this.turns.get(context.turnState);
    if (!turn) {
      const state = await this.env.respondents.get(context, newRespondentState());
      const { catalog } = this.env;
      const choice = state.survey
        ? await catalog.choice(state.survey.id, state.survey.version)
        : await catalog.start(TurnRecord.of(context).survey ?? requestedSurvey(context.activity));
      if (!choice.closed) state.survey = { id: choice.id, version: choice.version };
      turn = new SurveyTurn(context, state, await catalog.textsFor(choice.id, choice.version), choice, this.env);
      if (state.source === undefined && !choice.closed) {
        const named = TurnRecord.of(context).source;
        state.source = responseSource(turn.survey.sources, typeof named === 'function' ? await named() : named);
      }
      this.turns.set(context.turnState, turn);
    }
    return turn;
  }

  /** Forgets the turn made for this context, so that a retried turn starts from the state as stored. */
  forget(context: TurnContext): void {
    this.turns.delete(context.turnState);
  }
}
