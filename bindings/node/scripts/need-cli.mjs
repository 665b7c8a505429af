// Installs this package's build tools (@napi-rs/cli, from the lockfile) when they are missing,
// so `npm run build` works on its own, without a prior `npm install`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('../', import.meta.url));
if (!existsSync(new URL('../node_modules/.bin/napi', import.meta.url))) {
  console.log('need-cli: installing the build tools from package-lock.json (npm ci)');
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm',
    ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
}
