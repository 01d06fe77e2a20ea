/** The one way the app hands the user a file: a Blob behind a link clicked for them. */

export interface Download {
  name: string;
  bytes: Uint8Array | string;
  mime: string;
}

export function download({ name, bytes, mime }: Download): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
