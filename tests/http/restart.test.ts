import path from 'node:path';
import { SqliteStore } from '../../src/store/sqliteStore';
import { askedStep, tempDir, texts } from '../helpers/harness';
import { HttpRespondent } from '../helpers/http';
import { freePort, startBotProcess } from '../helpers/process';

test('SIGKILL in the middle of a survey loses nothing: the next message continues at the next unanswered question', async () => {
  const dataDir = tempDir();
  const port = await freePort();
  const r = new HttpRespondent(`http://127.0.0.1:${port}`, 'sms-like-user', 'emulator');

  let bot = await startBotProcess({ DATA_DIR: dataDir }, port);
  await r.say('hei');
  await r.say('Norsk bokmål');
  await r.say('ja'); // consent
  await r.say('ja'); // needed_help
  expect(askedStep('nb', await r.text('4'))).toBe('help_areas'); // situation: temporary
  await bot.kill();

  bot = await startBotProcess({ DATA_DIR: dataDir }, port);
  try {
    const reply = await r.text('1, 2'); // help_areas, answered to the restarted process
    expect(askedStep('nb', reply)).toBe('help_got[find_home]');
  } finally {
    await bot.stop();
  }

  const store = new SqliteStore(`file:${path.join(dataDir, 'survey.db')}`);
  const [response] = await store.listResponses();
  await store.close();
  expect(response.status).toBe('in_progress');
  expect(Object.fromEntries(response.answers.map((a) => [a.questionId, a.value]))).toEqual({
    needed_help: 'yes',
    situation: 'temporary',
    help_areas: ['find_home', 'temp_to_permanent'],
  });
  expect(texts.survey.id).toBe(response.surveyId);
}, 60000);
