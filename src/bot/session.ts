import { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { Logger } from '../logger';
import { ResponseRecorder } from './responseRecorder';
import { Progress, emptyProgress } from '../survey/engine';
import { Texts } from '../language/texts';

/**
 * What the bot remembers about one respondent between turns. It lives in conversation state,
 * keyed by an HMAC (src/identity.ts), and is deleted when the survey ends or the TTL passes:
 * after that nothing links the respondent to their response.
 */
export interface Session {
  lang?: string;
  responseId?: string;
  progress: Progress;
  paused: boolean;
  /** SMS STOP: no message is sent until START. */
  optedOut?: boolean;
  languageSwitches: number;
  notUnderstood: number;
  /** Typed answers the bot asked the respondent to confirm, and of those answered "no" (absent in states written before confirmations). */
  confirmations?: number;
  confirmationsDeclined?: number;
  /** Set when the conversation is over; the bot then deletes the state instead of saving it. */
  finished: boolean;
}

export function newSession(): Session {
  return { progress: emptyProgress(), paused: false, languageSwitches: 0, notUnderstood: 0, finished: false };
}

/** Everything the dialogs need, passed in once; dialogs keep no per-user data of their own. */
export interface DialogDeps {
  texts: Texts;
  /** All the dialogs may do to stored responses (start, answer, undo, count, complete, withdraw). */
  responses: ResponseRecorder;
  sessions: StatePropertyAccessor<Session>;
  logger: Logger;
  now: () => Date;
  /** Guesses the language of a first message; undefined when unsure (src/language/detect.ts). */
  detectLanguage: (text: string) => string | undefined;
}

export async function sessionOf(deps: DialogDeps, context: TurnContext): Promise<Session> {
  return deps.sessions.get(context, newSession());
}
