import { Activity, ActivityTypes, BotAdapter, ConversationReference, ResourceResponse, TurnContext } from 'botbuilder';

const OUTGOING = Symbol('outgoing');

/** What a turn on a DirectAdapter leaves: the replies, and the turn's context (for what the bot marked on it). */
export interface DirectTurn {
  activities: Partial<Activity>[];
  context: TurnContext;
}

/**
 * The adapter for the project's own channels (Direct Line subset, SMS). It runs a turn and hands
 * back what the bot said instead of posting it to a `serviceUrl`: each channel then delivers the
 * replies its own way (an outbox for polling browsers, TwiML for an SMS webhook). Middleware and
 * `onTurnError` behave as in any botbuilder adapter.
 */
export class DirectAdapter extends BotAdapter {
  /**
   * Runs one turn. `prepare` may mark the context first (a delivery key, an outbox), which is how
   * a channel tells the bot what its turn must write.
   */
  async runTurn(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>, prepare?: (context: TurnContext) => void): Promise<DirectTurn> {
    const context = new TurnContext(this, activity);
    const outgoing: Partial<Activity>[] = [];
    context.turnState.set(OUTGOING, outgoing);
    prepare?.(context);
    await this.runMiddleware(context, logic);
    return { activities: outgoing, context };
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const outgoing = context.turnState.get(OUTGOING) as Partial<Activity>[];
    const responses: ResourceResponse[] = [];
    for (const a of activities) {
      // "delay" and "trace" are instructions to a channel, not messages.
      if (a.type === 'delay' || a.type === ActivityTypes.Trace) {
        responses.push({ id: '' });
        continue;
      }
      outgoing.push(a);
      responses.push({ id: String(outgoing.length) });
    }
    return responses;
  }

  async updateActivity(): Promise<void> {
    throw new Error('DirectAdapter channels cannot update a sent message');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('DirectAdapter channels cannot delete a sent message');
  }

  async continueConversation(_reference: Partial<ConversationReference>, _logic: (context: TurnContext) => Promise<void>): Promise<void> {
    throw new Error('DirectAdapter channels only answer incoming messages');
  }
}
