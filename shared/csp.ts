// One policy for the window in the app and the page `portwatch serve` sends to a browser.

/**
 * The renderer's Content-Security-Policy, also in renderer/index.html as a <meta> (a test keeps the two equal).
 * - style-src has no 'unsafe-inline': React and recharts set inline styles through the CSSOM (element.style),
 *   which CSP does not govern; only style="" in markup or setAttribute('style') would need style-src-attr.
 * - connect-src 'self' also matches ws:/wss: on the page's own host and port (CSP Level 3), which is all
 *   `portwatch serve` needs for /api/events; a bare ws: would allow every host.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** Browsers ignore frame-ancestors in a <meta>, so it only travels in the header form. */
export const RENDERER_CSP_HEADER = `${RENDERER_CSP}; frame-ancestors 'none'`;
