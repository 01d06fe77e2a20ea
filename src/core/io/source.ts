/**
 * Where city files come from. The same loaders read a folder (Node), a .zip, files the
 * user dropped in the browser, or a base URL; each source only has to read one file.
 */
import { MAX_FILE_BYTES, tooLargeMessage } from './limits';
import { DEFAULT_UNPACK_LIMITS, unzipWithin } from './unzip';

/** Default limit on one file, in bytes (configurable per source): the one of ./limits.ts. */
export const DEFAULT_MAX_FILE_BYTES = MAX_FILE_BYTES;

export type ReadResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: 'missing' | 'too-large' | 'unreadable'; message: string };

export interface FileSource {
  /** Shown in messages, e.g. a folder path, a zip name or a URL. */
  label: string;
  /** Read one file by its path relative to the source root. */
  read(path: string): Promise<ReadResult>;
  /** Cheap existence check. */
  exists(path: string): Promise<boolean>;
}

/**
 * Why a path named inside a bundle (its manifest, or any read through a source) cannot be
 * read, or null when it can: a file path must stay inside the bundle, so it is relative,
 * `/`-separated, with no `..` or `.` segment (percent-encoded ones included, as a URL reads
 * them), no backslash, no `:` (drive letters, `file:` and other URL schemes), no `?`/`#` and
 * no control characters. The message names the path and never shows what it points to.
 */
export function unsafePathProblem(path: string): string | null {
  const why = ((): string | null => {
    if (path.trim() === '') return 'it is empty';
    if (path.startsWith('/')) return 'it is absolute';
    if (path.includes('\\')) return 'it has a backslash';
    if (path.includes(':')) return 'it has a ":" (a drive or a URL scheme)';
    if (/[?#]/.test(path)) return 'it has a "?" or "#" (URL-like)';
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(path)) return 'it has a control character';
    const segments = path
      .replace(/^\.\//, '')
      .split('/')
      .map((seg) => seg.replace(/%2e/gi, '.'));
    if (segments.some((seg) => seg === '..')) return 'it has a ".." segment';
    if (segments.some((seg) => seg === '' || seg === '.')) return 'it has an empty or "." segment';
    return null;
  })();
  return why === null
    ? null
    : `path ${JSON.stringify(path)} is refused: ${why}; files must be named by a relative path inside the bundle`;
}

const unsafe = (path: string): ReadResult | null => {
  const problem = unsafePathProblem(path);
  return problem === null ? null : { ok: false, reason: 'unreadable', message: problem };
};

/** In-memory files, e.g. files dropped on the page or unzipped. */
export function memorySource(
  label: string,
  files: Record<string, Uint8Array>,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): FileSource {
  const norm = (p: string): string => p.replace(/^\.?\//, '');
  const table = new Map(Object.entries(files).map(([k, v]) => [norm(k), v]));
  return {
    label,
    async read(path) {
      const refused = unsafe(path);
      if (refused) return refused;
      const bytes = table.get(norm(path));
      if (!bytes) return { ok: false, reason: 'missing', message: `${path} not found in ${label}` };
      if (bytes.length > maxBytes) {
        return { ok: false, reason: 'too-large', message: tooLargeMessage(path, bytes.length, maxBytes) };
      }
      return { ok: true, bytes };
    },
    async exists(path) {
      return unsafePathProblem(path) === null && table.has(norm(path));
    },
  };
}

/**
 * A .zip archive. When every entry sits under one top folder (as when a folder is zipped),
 * paths are taken relative to that folder.
 */
export function zipSource(
  label: string,
  zipBytes: Uint8Array,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): FileSource {
  // Checked against the sizes its directory declares before anything is inflated, then against
  // the bytes each entry actually inflates to (an entry whose directory lies is stopped).
  const unpacked = unzipWithin(zipBytes, { ...DEFAULT_UNPACK_LIMITS, maxFileBytes: maxBytes });
  const entries = unpacked.ok ? unpacked.files : {};
  const message = unpacked.ok
    ? null
    : unpacked.reason === 'unreadable'
      ? `${label} is ${unpacked.message}`
      : `${label}: ${unpacked.message}`;
  if (message) {
    const refusal = message;
    return {
      label,
      async read() {
        return { ok: false, reason: 'unreadable', message: refusal };
      },
      async exists() {
        return false;
      },
    };
  }
  const names = Object.keys(entries).filter((n) => !n.endsWith('/') && !n.startsWith('__MACOSX/'));
  const tops = new Set(names.map((n) => (n.includes('/') ? n.slice(0, n.indexOf('/') + 1) : '')));
  const strip = tops.size === 1 && !tops.has('') ? [...tops][0] : '';
  const files: Record<string, Uint8Array> = {};
  for (const n of names) files[n.slice(strip.length)] = entries[n];
  return memorySource(label, files, maxBytes);
}

/** Files under a base URL (fetched on demand). */
export function urlSource(
  baseUrl: string,
  fetchImpl: typeof fetch = fetch,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): FileSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const get = async (path: string, method: 'GET' | 'HEAD'): Promise<Response | null> => {
    try {
      const res = await fetchImpl(new URL(path, base).toString(), { method });
      // Dev servers answer unknown paths with index.html (HTTP 200): treat HTML as missing.
      const type = res.headers.get('content-type') ?? '';
      if (!res.ok || (type.includes('text/html') && !path.endsWith('.html'))) return null;
      return res;
    } catch {
      return null;
    }
  };
  return {
    label: base,
    async read(path) {
      const refused = unsafe(path);
      if (refused) return refused;
      const res = await get(path, 'GET');
      if (!res) return { ok: false, reason: 'missing', message: `${path} not found at ${base}` };
      const declared = Number(res.headers.get('content-length') ?? '0');
      if (declared > maxBytes) {
        return { ok: false, reason: 'too-large', message: tooLargeMessage(path, declared, maxBytes) };
      }
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.length > maxBytes) {
        return { ok: false, reason: 'too-large', message: tooLargeMessage(path, bytes.length, maxBytes) };
      }
      return { ok: true, bytes };
    },
    async exists(path) {
      return unsafePathProblem(path) === null && (await get(path, 'HEAD')) !== null;
    },
  };
}
