'use strict';
// The baseline of `npm run bench`: the smallest Bot Framework bot there is, on the same SDK and
// web server as the survey bot (restify + CloudAdapter, botbuilder 4.23), echoing each message.
// Whatever the survey bot costs beyond this is the survey bot's own cost.
const restify = require('restify');
const { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } = require('botbuilder');

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new ActivityHandler();
bot.onMessage(async (context, next) => {
  await context.sendActivity(`echo: ${context.activity.text}`);
  await next();
});
const server = restify.createServer({ handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ mapParams: false }));
server.post('/api/messages', async (req, res) => adapter.process(req, res, (context) => bot.run(context)));
server.get('/healthz', async (_req, res) => res.send(200, { status: 'ok' }));
server.listen(Number(process.env.PORT), '127.0.0.1');
