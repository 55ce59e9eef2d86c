// Probot entry point (`probot run ./dist/index.js`): the app behind the webhook intake.
import { createApp } from './app.js';
import { withWebhookIntake } from './server/webhook-intake.js';

export default withWebhookIntake(createApp());
