import { Server } from 'restify';
import { ChannelDeps } from '../channelDeps';

/** Direct Line 3.0 subset for the web page (to be implemented). */
export function registerDirectLine(_server: Server, _deps: ChannelDeps): void {}
