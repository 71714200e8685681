import { DialogContext, DialogTurnResult, Dialog } from '../src/bot/dialogFramework';
import { SurveyTurn } from '../src/bot/surveyTurn';
import { YES_NO_PROMPTS } from '../src/language/words';
import { YesNoDialog, YesNoQuestion } from './askDialog';
import { DialogDeps } from './dialogDeps';

export const CONSENT_DIALOG = 'consentDialog';

/** Explains purpose and anonymity and asks for consent. Ends with true (consented) or false. */
export class ConsentDialog extends YesNoDialog {
  constructor(deps: DialogDeps) {
    super(CONSENT_DIALOG, deps);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const turn = await this.deps.turns.of(dc.context);
    // Three short messages rather than one long one: each fits an SMS budget and a phone screen.
    for (const part of ['consent.purpose', 'consent.anonymity', 'consent.after']) {
      await turn.say(turn.s(part, { organisation: turn.texts.organisationName(turn.lng) }));
    }
    await this.ask(dc.context, dc.activeDialog!);
    return Dialog.EndOfTurn;
  }

  protected question(turn: SurveyTurn): YesNoQuestion {
    return { lng: turn.lng, text: turn.s('consent.ask'), prompt: YES_NO_PROMPTS.consent };
  }

  protected async answered(dc: DialogContext, _turn: SurveyTurn, yes: boolean): Promise<DialogTurnResult> {
    return dc.endDialog(yes);
  }
}
