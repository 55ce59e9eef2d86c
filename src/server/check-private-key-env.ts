// A PRIVATE_KEY that arrives wrapped in quotes fails at start-up, with the fix, instead of
// at the first webhook. Probot's set-up writes `PRIVATE_KEY="-----BEGIN ...\n..."` to
// `.env`; Probot reads that file with Node's dotenv parser, which drops the quotes and
// turns `\n` into newlines, but `docker run --env-file .env` passes the value as written,
// quotes included. @probot/get-private-key turns the `\n` escapes into newlines and
// accepts any text holding the BEGIN/END lines, so the quoted key starts the app and only
// the first GitHub call fails to sign its token. Probot reads the key before it loads the
// app, so the app cannot repair it: it stops, and says how to pass the key instead.
export class PrivateKeyEnvError extends Error {
  override name = 'PrivateKeyEnvError';
}

export function checkPrivateKeyEnv(env: NodeJS.ProcessEnv): void {
  const key = env.PRIVATE_KEY?.trim();
  if (key === undefined || !/PRIVATE KEY-----/.test(key)) return;
  const quote = key[0];
  if ((quote === '"' || quote === "'") && key.endsWith(quote)) {
    throw new PrivateKeyEnvError(
      `PRIVATE_KEY is wrapped in ${quote === '"' ? 'double' : 'single'} quotes, so no token for GitHub can be signed with it (the key does not decode). ` +
        '`docker run --env-file .env` keeps the quotes Probot writes around PRIVATE_KEY in .env: mount the file instead ' +
        '(`docker run -v "$PWD/.env:/app/.env:ro" ...`, read like `npm start` reads it), or remove the quotes from the value.',
    );
  }
}
