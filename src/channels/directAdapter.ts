import { Activity, ActivityTypes, BotAdapter, ConversationReference, ResourceResponse, TurnContext } from 'botbuilder';

const OUTGOING = Symbol('outgoing');

/**
 * The adapter for the project's own channels (Direct Line subset, SMS). It runs a turn and hands
 * back what the bot said instead of posting it to a `serviceUrl`: each channel then delivers the
 * replies its own way (an outbox for polling browsers, TwiML for an SMS webhook). Middleware and
 * `onTurnError` behave as in any botbuilder adapter.
 */
export class DirectAdapter extends BotAdapter {
  async runTurn(activity: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<Partial<Activity>[]> {
    const context = new TurnContext(this, activity);
    const outgoing: Partial<Activity>[] = [];
    context.turnState.set(OUTGOING, outgoing);
    await this.runMiddleware(context, logic);
    return outgoing;
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
