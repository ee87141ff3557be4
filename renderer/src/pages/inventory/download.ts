/**
 * Saves text as a file through a blob: link. Following a link is navigation, which the page's
 * CSP (connect-src and the rest) does not govern, so no policy change is needed for it.
 */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the blob once the click is handled; keep it a moment for slow ones.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
