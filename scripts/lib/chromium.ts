/**
 * How Beacon runs Debian's Chromium headless (browser tests, the wall bench): software WebGL through
 * SwiftShader (`--disable-gpu`, never `--disable-software-rasterizer`), no sandbox (containers run as root),
 * and nothing that talks to the internet behind the page's back.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
