import { Activity, ActivityHandler, ActivityTypes, EndOfConversationCodes, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { Dialog, DialogSet, DialogState, DialogTurnStatus } from './dialogFramework';
import { channelKind } from '../identity';
import { DuplicateDeliveryError, EtagConflictError, SurveyStore } from '../store/store';
import { RespondentStates } from './respondentStates';
import { Metrics } from '../metrics';
import { SurveyTurns } from './surveyTurn';
import { sendNow, TurnRecord } from './turn';

/**
 * botbuilder has already copied the incoming activity's locale (the browser's) onto each reply;
 * the respondent's language as the turn left it must win, or the page cannot follow a switch.
 */
function stampLanguage(record: TurnRecord, activities: Partial<Activity>[]): void {
  if (record.language) for (const a of activities) a.locale = record.language;
}

/** A turn that lost a race for the respondent's state is run again, up to this many times in all. */
const MAX_ATTEMPTS = 5;

/**
 * Routes activities to the main dialog, and makes each turn one unit: the state is read once,
 * the dialogs' changes to the response and the replies are held, and at the end everything is
 * written in one transaction (src/store/turnStore.ts) before any reply leaves. A turn that lost a
 * race for the state runs again on the new state; a message that another copy of itself already
 * answered gets that answer, not a second turn. Outgoing messages carry the respondent's
 * language in `locale`, so a channel (the web page) can set text direction and its own UI language.
 */
export class SurveyBot extends ActivityHandler {
  private readonly dialogs: DialogSet;

  constructor(
    private readonly states: RespondentStates,
    private readonly store: Pick<SurveyStore, 'commitTurn'>,
    private readonly turns: SurveyTurns,
    dialogState: StatePropertyAccessor<DialogState>,
    private readonly mainDialog: Dialog,
    private readonly metrics?: Metrics,
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
    const record = TurnRecord.of(context);
    context.onSendActivities(async (_ctx, activities, next) => {
      if (record.inBotTurn && !record.flushing) {
        record.outgoing.push(...activities);
        return activities.map(() => ({ id: '' }));
      }
      stampLanguage(record, activities);
      return next();
    });
    const started = process.hrtime.bigint();
    const channel = channelKind(context.activity.channelId);
    // A channel may send what the handler ignores (typing, events): nothing to write then.
    const durable = context.activity.type === ActivityTypes.Message || context.activity.type === ActivityTypes.ConversationUpdate;
    record.inBotTurn = true;
    for (let attempt = 1; ; attempt++) {
      record.restart();
      this.states.reset(context);
      this.turns.forget(context);
      try {
        await super.run(context);
        if (durable) await this.commit(context, record);
        break;
      } catch (err) {
        if (err instanceof EtagConflictError && attempt < MAX_ATTEMPTS) continue;
        if (err instanceof DuplicateDeliveryError) {
          // Another copy of this message was handled first: this run's replies are not sent.
          record.duplicateReply = err.reply;
          record.outgoing = [];
          break;
        }
        // Nothing of the turn was written; what onTurnError says goes out as it is sent.
        record.flushing = true;
        this.metrics?.turns.inc({ channel, outcome: 'failed' });
        throw err;
      }
    }
    await sendNow(context, record.outgoing);
    this.metrics?.turns.inc({ channel, outcome: record.duplicateReply !== undefined ? 'duplicate' : 'committed' });
    this.metrics?.turnSeconds.observe({ channel }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /** The turn's one write: state (or its deletion), response changes, delivery record, outbox. */
  private async commit(context: TurnContext, record: TurnRecord): Promise<void> {
    const turn = await this.turns.of(context);
    stampLanguage(record, record.outgoing);
    const { delivery, outbox, outreach } = record;
    await this.store.commitTurn({
      state: await this.states.write(context, turn.state.finished),
      responses: record.responses,
      delivery: delivery && { key: delivery.key, reply: delivery.reply(record.outgoing), expiresAt: delivery.expiresAt },
      outbox: outbox && {
        conversation: outbox.conversation,
        activities: [...(outbox.echo ? [outbox.echo] : []), ...outbox.render(record.outgoing)],
        expiresAt: outbox.expiresAt,
        seqFloor: outbox.seqFloor,
      },
      outreach,
    });
    record.committed = true;
  }

  private async runDialog(context: TurnContext): Promise<void> {
    const turn = await this.turns.of(context);
    const record = TurnRecord.of(context);
    record.language = turn.state.lang;
    const dc = await this.dialogs.createContext(context);
    if (turn.closed) {
      // A closed survey takes no more answers; what a running conversation gave is kept as given.
      if (context.activity.type === ActivityTypes.Message || !dc.activeDialog) {
        await turn.say(turn.t('bot:survey.closed'));
        await turn.say({ type: ActivityTypes.EndOfConversation, code: EndOfConversationCodes.CompletedSuccessfully });
      }
      await dc.cancelAllDialogs();
      turn.response.finish();
      return;
    }
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.mainDialog.id);
    record.language = turn.state.lang;
  }

  /**
   * SMS carrier conventions, before any survey logic: STOP (in any supported language) pauses the
   * survey and silences the bot until START; HELP answers with contact information. None of
   * these words is ever taken as an answer. Returns true when the message was one of them, or
   * when the respondent has opted out and the bot must stay silent.
   */
  private async smsKeyword(context: TurnContext): Promise<boolean> {
    const turn = await this.turns.of(context);
    const { state } = turn;
    TurnRecord.of(context).language = state.lang;
    switch (turn.texts.smsKeyword(context.activity.text)) {
      case 'opt_out': {
        state.paused = true;
        state.optedOut = true;
        // Someone who never chose a language (an invitation answered with "JOOJI") is answered in the stop word's language.
        const lng = state.lang ?? turn.texts.words.smsKeywordLanguage('opt_out', context.activity.text) ?? turn.lng;
        await turn.say(turn.texts.t(lng, 'bot:sms.stopped'));
        return true;
      }
      case 'opt_in':
        if (!state.optedOut) return false;
        state.optedOut = false;
        state.paused = false;
        await turn.say(turn.t('bot:pause.resumed'));
        await this.reprompt(context);
        return true;
      case 'sms_help':
        await turn.say(turn.t('bot:sms.help'));
        if (!state.optedOut) await this.reprompt(context);
        return true;
      default:
        return state.optedOut === true;
    }
  }

  private async reprompt(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog) await dc.repromptDialog();
    else await dc.beginDialog(this.mainDialog.id);
  }
}
