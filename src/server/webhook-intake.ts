// What stands between the network and the handlers: a size cap on webhook bodies, read
// before @octokit/webhooks buffers them, and logs without payloads.
//
// Where the cap can go, within `probot run ./dist/index.js`: Probot's Server puts the
// webhook middleware FIRST and the handlers an app adds with `addHandler` after it
// (server.js `start()`: `handlers.unshift(await probot.getNodeMiddleware())`, then
// `handlers.push(...addedHandlers)`), and the webhook middleware answers every request to
// its path, so an added handler never sees a webhook. `start()` asks the very Probot
// instance the app function receives for that middleware, after the app is loaded (and
// Probot's `createNodeMiddleware` for serverless hosts does the same): the app function
// wraps that instance's `getNodeMiddleware`, and the cap runs in front of verification.
// The signature is still checked by @octokit/webhooks alone.
import type { ApplicationFunction, Probot } from 'probot';
import { limitWebhookBody, MAX_WEBHOOK_BYTES, type NodeMiddleware } from './limit-webhook-body.js';
import { omitPayloadsFromLogs } from './omit-payloads-from-logs.js';

export function withWebhookIntake(appFn: ApplicationFunction, maxBytes = MAX_WEBHOOK_BYTES): ApplicationFunction {
  return (app, options) => {
    omitPayloadsFromLogs(app.log);
    const webhookMiddleware = app.getNodeMiddleware.bind(app);
    app.getNodeMiddleware = async (middlewareOptions = {}) => {
      const webhooks = (await webhookMiddleware(middlewareOptions)) as NodeMiddleware;
      return limitWebhookBody(middlewareOptions.path ?? app.webhookPath, webhooks, maxBytes) as Awaited<ReturnType<Probot['getNodeMiddleware']>>;
    };
    return appFn(app, options);
  };
}
