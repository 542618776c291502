/** Fetch a CSV with the user's token and hand it to the browser as a download (a plain link cannot send the token). */
export async function downloadCsv(path: string, token: string | null, filename: string): Promise<void> {
  const res = await fetch(path, { headers: { Accept: 'text/csv', ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
  if (!res.ok) throw new Error(`CSV download failed: ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5_000);
}
