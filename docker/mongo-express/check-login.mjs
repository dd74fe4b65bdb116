// Mongo Express gives full read-write access to the database, so it must not start with a guessable login.
// Run by compose's mongo-express-guard before mongo-express (docker-compose.yml, profile `admin`):
//   node check-login.mjs <password-file>      (ME_USER, ME_COOKIE_SECRET, ME_SESSION_SECRET from the environment)
// Exits 1 naming every problem; 0 when the login is fit to use.
import { readFileSync } from 'node:fs';

const MIN_PASSWORD = 16;
const MIN_SECRET = 24;
// .env.example's values and mongo-express's own defaults.
const EXAMPLES = new Set(['change-me', 'pass', 'admin', 'password', 'change-me-cookie-secret', 'change-me-session-secret']);

function findProblems({ user, password, cookieSecret, sessionSecret }) {
  const problems = [];
  if (!user) problems.push('ME_USER is empty: set the Mongo Express login name in .env');
  if (password === undefined) problems.push('the me_password secret cannot be read (tools/scripts/make-secrets.sh writes one)');
  else if (EXAMPLES.has(password) || password.startsWith('change-me')) problems.push('the Mongo Express password is the example one');
  else if (password.length < MIN_PASSWORD) problems.push(`the Mongo Express password has ${password.length} characters; at least ${MIN_PASSWORD} are required`);
  for (const [name, value] of [['ME_COOKIE_SECRET', cookieSecret], ['ME_SESSION_SECRET', sessionSecret]]) {
    if (!value || EXAMPLES.has(value) || value.startsWith('change-me') || value.length < MIN_SECRET) {
      problems.push(`${name} must be a random string of at least ${MIN_SECRET} characters (e.g. \`openssl rand -hex 24\`), not the example`);
    }
  }
  return problems;
}

function readPassword(file) {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch {
    return undefined;
  }
}

const problems = findProblems({
  user: process.env.ME_USER,
  password: readPassword(process.argv[2] ?? '/run/secrets/me_password'),
  cookieSecret: process.env.ME_COOKIE_SECRET,
  sessionSecret: process.env.ME_SESSION_SECRET,
});
if (problems.length > 0) {
  console.error(`mongo-express refused to start:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('mongo-express login checked');
