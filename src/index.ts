// Probot entry point (`probot run ./dist/index.js`): the app behind the webhook intake.
import type { ApplicationFunction } from 'probot';
import { createApp } from './app.js';
import { checkPrivateKeyEnv } from './server/check-private-key-env.js';
import { withWebhookIntake } from './server/webhook-intake.js';

const app: ApplicationFunction = (probot, options) => {
  checkPrivateKeyEnv(process.env);
  return withWebhookIntake(createApp())(probot, options);
};

export default app;
