/** "Riverton (sample)" -> "riverton-sample": lower-case ASCII words joined by dashes ('' if none). */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
