// The login our app's bot comments under (`<slug>[bot]`), to tell our review comments from
// anyone else's: a hidden marker can be copied, the author cannot. `GET /app` needs the app's
// own token (a JWT), not the installation's. Undefined when the client is not an app (a token,
// as in the demo): then no existing comment is taken for ours.
import type { Octokit } from './octokit.js';

/** By app id: an app's slug does not change while the process runs, so it is asked once. */
const logins = new Map<number, string>();

export async function readAppLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    const auth = (await octokit.auth({ type: 'app' })) as { token?: unknown; appId?: unknown };
    if (typeof auth.token !== 'string') return undefined;
    const known = typeof auth.appId === 'number' ? logins.get(auth.appId) : undefined;
    if (known) return known;
    const { data } = await octokit.request('GET /app', { headers: { authorization: `bearer ${auth.token}` } });
    if (!data?.slug) return undefined;
    const login = `${data.slug}[bot]`;
    if (typeof auth.appId === 'number') logins.set(auth.appId, login);
    return login;
  } catch {
    return undefined; // not an app (a token): no existing comment is taken for ours
  }
}
