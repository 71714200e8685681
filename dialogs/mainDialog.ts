import crypto from 'node:crypto';
import { ActivityTypes, EndOfConversationCodes } from 'botbuilder';
import { ComponentDialog, Dialog, DialogContext, DialogTurnResult, WaterfallDialog, WaterfallStepContext } from '../src/bot/dialogFramework';
import { DialogDeps, sessionOf } from '../src/bot/session';
import { Command } from '../src/language/texts';
import { channelKind } from '../src/identity';
import { isoWeek } from '../src/period';
import { CONFIRM_DELETE_DIALOG, ConfirmDeleteDialog } from './confirmDeleteDialog';
import { CONSENT_DIALOG, ConsentDialog } from './consentDialog';
import { LANGUAGE_DIALOG, LanguageDialog, LanguageOptions } from './languageDialog';
import { QUESTION_DIALOG, QuestionDialog, SurveyOutcome } from './questionDialog';

export const MAIN_DIALOG = 'mainDialog';
const FLOW = 'surveyFlow';

/**
 * language → consent → questions → thanks, with the interruptions a respondent can use at any
 * question: help, back (handled by the question dialog), language, stop (pause) and delete.
 */
export class MainDialog extends ComponentDialog {
  constructor(private readonly deps: DialogDeps) {
    super(MAIN_DIALOG);
    this.addDialog(new LanguageDialog(deps))
      .addDialog(new ConsentDialog(deps))
      .addDialog(new QuestionDialog(deps))
      .addDialog(new ConfirmDeleteDialog(deps))
      .addDialog(
        new WaterfallDialog(FLOW, [this.languageStep.bind(this), this.consentStep.bind(this), this.surveyStep.bind(this), this.thanksStep.bind(this)]),
      );
    this.initialDialogId = FLOW;
  }

  private async languageStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await sessionOf(this.deps, step.context);
    if (session.lang) return step.next(session.lang);
    return step.beginDialog(LANGUAGE_DIALOG, { switching: false } satisfies LanguageOptions);
  }

  private async consentStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await sessionOf(this.deps, step.context);
    if (session.responseId) return step.next(true);
    return step.beginDialog(CONSENT_DIALOG);
  }

  private async surveyStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await sessionOf(this.deps, step.context);
    const { texts, responses, now } = this.deps;
    const lng = session.lang ?? texts.defaultLocale;
    if (step.result !== true) {
      // No consent, nothing stored: there is no response row to delete.
      await step.context.sendActivity(texts.s(lng, 'consent.declined'));
      return this.finish(step);
    }
    if (!session.responseId) {
      const id = crypto.randomUUID();
      await responses.start(step.context, {
        id,
        surveyId: texts.survey.id,
        surveyVersion: texts.survey.version,
        consentVersion: texts.survey.consentVersion,
        channel: channelKind(step.context.activity.channelId),
        period: isoWeek(now()),
        language: lng,
      });
      session.responseId = id;
    }
    return step.beginDialog(QUESTION_DIALOG);
  }

  private async thanksStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await sessionOf(this.deps, step.context);
    const { texts, responses } = this.deps;
    const lng = session.lang ?? texts.defaultLocale;
    const outcome = step.result as SurveyOutcome;
    if (outcome.completed && session.responseId) {
      await responses.complete(step.context, session.responseId, {
        languageSwitches: session.languageSwitches,
        notUnderstoodCount: session.notUnderstood,
        confirmations: session.confirmations ?? 0,
        confirmationsDeclined: session.confirmationsDeclined ?? 0,
      });
      await step.context.sendActivity(texts.s(lng, 'thanks.done'));
      await step.context.sendActivity(texts.s(lng, 'thanks.where_help'));
    }
    return this.finish(step);
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const session = await sessionOf(this.deps, step.context);
    session.finished = true;
    await step.context.sendActivity({ type: ActivityTypes.EndOfConversation, code: EndOfConversationCodes.CompletedSuccessfully });
    return step.endDialog();
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const session = await sessionOf(this.deps, innerDc.context);
    const { texts } = this.deps;
    const lng = session.lang ?? texts.defaultLocale;
    const activity = innerDc.context.activity;
    const active = innerDc.activeDialog?.id;
    const inSurvey = active === QUESTION_DIALOG || active === CONSENT_DIALOG;

    if (session.paused && activity.type === ActivityTypes.Message) {
      // Any message ends a pause; it is not taken as an answer, since it was written to wake the bot.
      session.paused = false;
      await innerDc.context.sendActivity(texts.t(lng, 'bot:pause.resumed'));
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    if (inSurvey && activity.type === ActivityTypes.Message) {
      switch (texts.words.command(lng, activity.text)) {
        case Command.Help:
          await innerDc.context.sendActivity(
            texts.t(lng, 'bot:help.text', {
              back: texts.words.keyword(lng, Command.Back),
              language: texts.words.keyword(lng, Command.Language),
              stop: texts.words.keyword(lng, Command.Stop),
              delete: texts.words.keyword(lng, Command.Delete),
            }),
          );
          await innerDc.repromptDialog();
          return Dialog.EndOfTurn;
        case Command.Language:
          return innerDc.beginDialog(LANGUAGE_DIALOG, { switching: true } satisfies LanguageOptions);
        case Command.Stop:
          session.paused = true;
          await innerDc.context.sendActivity(texts.t(lng, 'bot:pause.paused'));
          return Dialog.EndOfTurn;
        case Command.Delete:
          if (active === QUESTION_DIALOG) return innerDc.beginDialog(CONFIRM_DELETE_DIALOG);
          break;
        default:
          break;
      }
    }
    return super.onContinueDialog(innerDc);
  }
}
