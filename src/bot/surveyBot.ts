import { ActivityHandler, ActivityTypes, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { Dialog, DialogContext, DialogSet, DialogState, DialogTurnStatus } from './dialogFramework';
import { channelKind } from '../identity';
import { DuplicateDeliveryError, EtagConflictError, SurveyStore } from '../store/store';
import { RespondentState } from './respondentState';
import { Session, newSession } from './session';
import { Metrics } from '../metrics';
import { Texts } from '../language/texts';
import { sendNow, TURN_DELIVERY, TURN_DUPLICATE, TURN_FLUSHING, TURN_OUTBOX, TURN_WORK, TurnDelivery, TurnOutbox, TurnWork } from './turn';

/**
 * botbuilder has already copied the incoming activity's locale (the browser's) onto each reply;
 * the respondent's language as the turn left it must win, or the page cannot follow a switch.
 */
function stampLanguage(context: TurnContext, activities: Partial<import('botbuilder').Activity>[]): void {
  const lng = context.turnState.get(TURN_LANGUAGE) as string | undefined;
  if (lng) for (const a of activities) a.locale = lng;
}

/** A turn that lost a race for the respondent's state is run again, up to this many times in all. */
const MAX_ATTEMPTS = 5;

/** Context key under which a turn's language is kept for `onTurnError`. */
export const TURN_LANGUAGE = Symbol('turnLanguage');

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
    private readonly state: RespondentState,
    private readonly store: Pick<SurveyStore, 'commitTurn'>,
    private readonly sessions: StatePropertyAccessor<Session>,
    dialogState: StatePropertyAccessor<DialogState>,
    private readonly mainDialog: Dialog,
    private readonly texts: Texts,
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
    context.onSendActivities(async (ctx, activities, next) => {
      const work = TurnWork.of(ctx);
      if (work && !ctx.turnState.get(TURN_FLUSHING)) {
        work.outgoing.push(...activities);
        return activities.map(() => ({ id: '' }));
      }
      stampLanguage(ctx, activities);
      return next();
    });
    const started = process.hrtime.bigint();
    const channel = channelKind(context.activity.channelId);
    // A channel may send what the handler ignores (typing, events): nothing to write then.
    const durable = context.activity.type === ActivityTypes.Message || context.activity.type === ActivityTypes.ConversationUpdate;
    let work: TurnWork;
    for (let attempt = 1; ; attempt++) {
      work = new TurnWork();
      context.turnState.set(TURN_WORK, work);
      this.state.reset(context);
      try {
        await super.run(context);
        if (durable) await this.commit(context, work);
        break;
      } catch (err) {
        if (err instanceof EtagConflictError && attempt < MAX_ATTEMPTS) continue;
        if (err instanceof DuplicateDeliveryError) {
          // Another copy of this message was handled first: this run's replies are not sent.
          context.turnState.set(TURN_DUPLICATE, err.reply);
          work.outgoing = [];
          break;
        }
        // Nothing of the turn was written; what onTurnError says goes out as it is sent.
        context.turnState.set(TURN_FLUSHING, true);
        this.metrics?.turns.inc({ channel, outcome: 'failed' });
        throw err;
      }
    }
    await sendNow(context, work.outgoing);
    this.metrics?.turns.inc({ channel, outcome: context.turnState.get(TURN_DUPLICATE) !== undefined ? 'duplicate' : 'committed' });
    this.metrics?.turnSeconds.observe({ channel }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /** The turn's one write: state (or its deletion), response changes, delivery record, outbox. */
  private async commit(context: TurnContext, work: TurnWork): Promise<void> {
    const session = await this.sessions.get(context, newSession());
    stampLanguage(context, work.outgoing);
    const delivery = context.turnState.get(TURN_DELIVERY) as TurnDelivery | undefined;
    const outbox = context.turnState.get(TURN_OUTBOX) as TurnOutbox | undefined;
    await this.store.commitTurn({
      state: await this.state.write(context, session.finished),
      responses: work.responses,
      delivery: delivery && { key: delivery.key, reply: delivery.reply(work.outgoing), expiresAt: delivery.expiresAt },
      outbox: outbox && {
        conversation: outbox.conversation,
        activities: [...(outbox.echo ? [outbox.echo] : []), ...outbox.render(work.outgoing)],
        expiresAt: outbox.expiresAt,
        seqFloor: outbox.seqFloor,
      },
    });
    work.committed = true;
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
