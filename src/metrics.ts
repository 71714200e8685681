import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * What operators watch, in Prometheus's format at `GET /metrics`: turns and their latency, errors
 * by class, the outbox's depth and SMS deliveries, plus Node's own process metrics. Labels are
 * coarse on purpose: a channel kind, an outcome, an error class. Never an identifier, a
 * language or a text: a label with a respondent's value would be a log line by another name.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly turns: Counter<'channel' | 'outcome'>;
  readonly turnSeconds: Histogram<'channel'>;
  readonly errors: Counter<'class'>;
  readonly sms: Counter<'outcome'>;

  constructor(outboxDepth?: () => Promise<number>) {
    collectDefaultMetrics({ register: this.registry });
    this.turns = new Counter({
      name: 'survey_turns_total',
      help: 'Turns by channel kind and outcome (committed, duplicate, failed).',
      labelNames: ['channel', 'outcome'],
      registers: [this.registry],
    });
    this.turnSeconds = new Histogram({
      name: 'survey_turn_duration_seconds',
      help: 'Time from an activity reaching the bot to its replies being released, by channel kind.',
      labelNames: ['channel'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.errors = new Counter({ name: 'survey_turn_errors_total', help: 'Failed turns by error class.', labelNames: ['class'], registers: [this.registry] });
    this.sms = new Counter({
      name: 'survey_sms_deliveries_total',
      help: 'Inbound SMS by outcome (replied, late, duplicate, unavailable).',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    if (outboxDepth) {
      new Gauge({
        name: 'survey_outbox_rows',
        help: 'Direct Line replies waiting in the outbox (all conversations, until they expire).',
        registers: [this.registry],
        async collect() {
          this.set(await outboxDepth());
        },
      });
    }
  }
}
