/**
 * Finds a Chromium for the browser tests: $CHROMIUM_PATH, then chromium / chromium-browser /
 * google-chrome on the PATH, then Playwright's own download; as root on Debian/Ubuntu it
 * installs Debian's chromium with apt-get. Returns the path or null.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function onPath(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const found = r.status === 0 ? r.stdout.trim() : '';
  return found && existsSync(found) ? found : null;
}

async function playwrightOwn() {
  try {
    const { chromium } = await import('playwright-core');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function isDebianLike() {
  try {
    return /\b(debian|ubuntu)\b/i.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

function aptInstallChromium(log) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0 || !isDebianLike() || !onPath('apt-get'))
    return false;
  log("No Chromium found: installing Debian's chromium with apt-get (root, Debian/Ubuntu)...");
  try {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return true;
  } catch {
    return false;
  }
}

export async function findChromium(log = console.log) {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) return existsSync(explicit) ? explicit : null;
  for (const name of NAMES) {
    const p = onPath(name);
    if (p) return p;
  }
  const own = await playwrightOwn();
  if (own) return own;
  if (aptInstallChromium(log)) {
    for (const name of NAMES) {
      const p = onPath(name);
      if (p) return p;
    }
  }
  return null;
}

export const NO_CHROMIUM_MESSAGE =
  'No Chromium found for the browser tests: install one (Debian/Ubuntu: `sudo apt-get install -y chromium`; elsewhere `npx playwright install chromium`) or set CHROMIUM_PATH to its executable.';
