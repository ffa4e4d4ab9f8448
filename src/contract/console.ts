/**
 * The back-office console (web/): where it is served and the headers it is served with. The local gateway
 * (local/console.ts) and the console stack (lib/stacks/console-stack.ts, CloudFront) both read these, so
 * `npm start` and AWS serve it the same way: under one origin with the API, only our own code allowed.
 */
export const CONSOLE_PATH = '/console/';

/** Scripts, styles and API calls from our own origin only; no framing, no plugins, no inline code. */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');
