import { SurveyTurns } from '../src/bot/surveyTurn';

/**
 * What every dialog is given, once: the way to this turn's {@link SurveyTurn} (language, texts,
 * the respondent's state and the owner of their response). Dialogs keep no per-user data of their
 * own: they are shared by every conversation and every process.
 */
export interface DialogDeps {
  turns: SurveyTurns;
}
