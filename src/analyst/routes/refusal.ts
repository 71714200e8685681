import { AuditOutcome } from '../../store/analystStore';

/** A refusal a handler can throw: status, machine-readable code, and the text (analyst:api.<key>). */
export class Refusal extends Error {
  override name = 'Refusal';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly key: string,
    readonly vars: Record<string, unknown> = {},
    readonly outcome: AuditOutcome = 'bad_request',
    /** What the audit log records of the request, when not its query parameters. */
    readonly filters?: Record<string, string>,
  ) {
    super(code);
  }
}
