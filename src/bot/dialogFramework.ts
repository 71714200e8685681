/**
 * The parts of botbuilder-dialogs the bot uses, from their own modules. The package's index also
 * loads its prompts and, through them, the Recognizers-Text suites: 0.3 s of every start on this
 * machine (measured 2026-12-02), for prompts the survey never uses, since it asks through its own
 * dialogs. The classes are the same objects the index exports.
 */
export { Dialog, DialogReason, DialogTurnStatus } from 'botbuilder-dialogs/lib/dialog';
export type { DialogInstance, DialogTurnResult } from 'botbuilder-dialogs/lib/dialog';
export { DialogContext } from 'botbuilder-dialogs/lib/dialogContext';
export type { DialogState } from 'botbuilder-dialogs/lib/dialogContext';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog';
export type { WaterfallStepContext } from 'botbuilder-dialogs/lib/waterfallStepContext';
