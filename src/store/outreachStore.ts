/**
 * SMS invitations (src/outreach/): the opt-out list every campaign honours, and per campaign the
 * numbers it invited. A number is only ever an HMAC here (src/identity.ts keyedHash); the list of
 * numbers stays with the operator, who gives it again to send reminders.
 */
export interface CampaignRecord {
  id: string;
  surveyId: string;
  /** Rounded to the hour. */
  createdAt: Date;
  reminderAfterHours?: number;
}

export type InvitationState = 'invited' | 'reminded' | 'replied';

export interface InvitationRecord {
  key: string;
  language: string;
  state: InvitationState;
  invitedAt: Date;
}

export interface OutreachStore {
  /** Which of these number keys are on the opt-out list. */
  optedOut(keys: readonly string[]): Promise<Set<string>>;
  /** Puts a number key on the opt-out list (STOP), or takes it off (START). */
  setOptOut(key: string, optedOut: boolean, at: Date): Promise<void>;
  /** Creates a campaign; an existing id is kept as it was. */
  saveCampaign(campaign: CampaignRecord): Promise<void>;
  readCampaign(id: string): Promise<CampaignRecord | undefined>;
  /** The invitations of a campaign, by number key. */
  invitations(campaign: string, keys: readonly string[]): Promise<Map<string, InvitationRecord>>;
  /** Records invitations sent (or moves them to `reminded`). */
  saveInvitations(campaign: string, rows: readonly InvitationRecord[]): Promise<void>;
  /**
   * Whether a number was invited by a campaign (of `surveyId`, or of any survey when undefined):
   * its conversation's source is then `sms-invitation` (src/survey/sources.ts).
   */
  invited(key: string, surveyId?: string): Promise<boolean>;
  /** The campaign is over: its invitations are deleted (the opt-out list stays). Returns how many. */
  endCampaign(id: string): Promise<number>;
}
