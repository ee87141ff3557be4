/**
 * Saves text as a file through a blob: link. Following a link is navigation, which the page's
 * CSP (connect-src and the rest) does not govern, so no policy change is needed for it.
 */
export function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the blob once the click is handled; keep it a moment for slow ones.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "2025-03-07", local date, for file names. */
export const dateStamp = (at: number = Date.now()): string => {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
