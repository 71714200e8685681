import { Server } from 'restify';
import { ChannelDeps } from '../channelDeps';

/** The respondent's web page with Bot Framework Web Chat (to be implemented). */
export function registerWebPage(_server: Server, _deps: ChannelDeps): void {}
