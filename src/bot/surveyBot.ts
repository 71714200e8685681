import { ActivityHandler, ActivityTypes, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { Dialog, DialogSet, DialogState, DialogTurnStatus } from 'botbuilder-dialogs';
import { Session, newSession } from './session';
import { SurveyState } from './surveyState';

/** Context key under which a turn's language is kept for `onTurnError`. */
export const TURN_LANGUAGE = Symbol('turnLanguage');

/**
 * Routes activities to the main dialog and saves, or deletes, the respondent's state at the end
 * of every turn.
 */
export class SurveyBot extends ActivityHandler {
  private readonly dialogs: DialogSet;

  constructor(
    private readonly state: SurveyState,
    private readonly sessions: StatePropertyAccessor<Session>,
    dialogState: StatePropertyAccessor<DialogState>,
    private readonly mainDialog: Dialog,
  ) {
    super();
    this.dialogs = new DialogSet(dialogState).add(mainDialog);

    this.onMessage(async (context, next) => {
      await this.runDialog(context);
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
}
