import { ActivityHandler, ActivityTypes, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogSet, DialogState, DialogTurnStatus } from 'botbuilder-dialogs';
import { channelKind } from '../identity';
import { Session, newSession } from './session';
import { SurveyState } from './surveyState';
import { Texts } from './texts';

/** Context key under which a turn's language is kept for `onTurnError`. */
export const TURN_LANGUAGE = Symbol('turnLanguage');

/**
 * Routes activities to the main dialog and saves, or deletes, the respondent's state at the end
 * of every turn. Outgoing messages carry the respondent's language in `locale`, so a channel
 * (the web page) can set text direction and its own UI language.
 */
export class SurveyBot extends ActivityHandler {
  private readonly dialogs: DialogSet;

  constructor(
    private readonly state: SurveyState,
    private readonly sessions: StatePropertyAccessor<Session>,
    dialogState: StatePropertyAccessor<DialogState>,
    private readonly mainDialog: Dialog,
    private readonly texts: Texts,
  ) {
    super();
    this.dialogs = new DialogSet(dialogState).add(mainDialog);

    this.onMessage(async (context, next) => {
      if (!(channelKind(context.activity.channelId) === 'sms' && (await this.smsKeyword(context)))) await this.runDialog(context);
      await next();
    });
    // Web Chat and the Emulator announce a new conversation before the user writes: greet then.
    this.onMembersAdded(async (context, next) => {
      const joined = context.activity.membersAdded ?? [];
      if (joined.some((m) => m.id !== context.activity.recipient?.id)) await this.runDialog(context);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    context.onSendActivities(async (ctx, activities, next) => {
      // botbuilder has already copied the incoming activity's locale (the browser's) onto each
      // reply; the respondent's chosen language must win, or the page cannot follow a switch.
      const lng = (await this.sessions.get(ctx))?.lang;
      if (lng) for (const a of activities) a.locale = lng;
      return next();
    });
    await super.run(context);
    // A channel may send what the handler ignores (typing, events); nothing to save then.
    if (context.activity.type !== ActivityTypes.Message && context.activity.type !== ActivityTypes.ConversationUpdate) return;
    const session = await this.sessions.get(context, newSession());
    if (session.finished) await this.state.delete(context);
    else await this.state.saveChanges(context, false);
  }

  private async runDialog(context: TurnContext): Promise<void> {
    const session = await this.sessions.get(context, newSession());
    context.turnState.set(TURN_LANGUAGE, session.lang);
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.mainDialog.id);
    context.turnState.set(TURN_LANGUAGE, session.lang);
  }

  /**
   * SMS carrier conventions, before any survey logic: STOP (in any supported language) pauses the
   * survey and silences the bot until START; HELP answers with contact information. None of
   * these words is ever taken as an answer. Returns true when the message was one of them, or
   * when the respondent has opted out and the bot must stay silent.
   */
  private async smsKeyword(context: TurnContext): Promise<boolean> {
    const session = await this.sessions.get(context, newSession());
    const lng = session.lang ?? this.texts.defaultLocale;
    context.turnState.set(TURN_LANGUAGE, session.lang);
    switch (this.texts.smsKeyword(context.activity.text)) {
      case 'opt_out':
        session.paused = true;
        session.optedOut = true;
        await context.sendActivity(this.texts.t(lng, 'bot:sms.stopped'));
        return true;
      case 'opt_in':
        if (!session.optedOut) return false;
        session.optedOut = false;
        session.paused = false;
        await context.sendActivity(this.texts.t(lng, 'bot:pause.resumed'));
        await this.reprompt(context);
        return true;
      case 'sms_help':
        await context.sendActivity(this.texts.t(lng, 'bot:sms.help'));
        if (!session.optedOut) await this.reprompt(context);
        return true;
      default:
        return session.optedOut === true;
    }
  }

  private async reprompt(context: TurnContext): Promise<void> {
    const dc: DialogContext = await this.dialogs.createContext(context);
    if (dc.activeDialog) await dc.repromptDialog();
    else await dc.beginDialog(this.mainDialog.id);
  }
}
