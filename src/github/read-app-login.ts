// The login our app's bot comments under (`<slug>[bot]`), to tell our review comments from
// anyone else's: a hidden marker can be copied, the author cannot. `GET /app` needs the app's
// own token (a JWT), not the installation's. Undefined when the client is not an app (a token,
// as in the demo): then no existing comment is taken for ours.
import type { Octokit } from './octokit.js';

export async function readAppLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    const auth = (await octokit.auth({ type: 'app' })) as { token?: unknown };
    if (typeof auth.token !== 'string') return undefined;
    const { data } = await octokit.request('GET /app', { headers: { authorization: `bearer ${auth.token}` } });
    return data?.slug ? `${data.slug}[bot]` : undefined;
  } catch {
    return undefined;
  }
}
