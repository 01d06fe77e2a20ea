/** A folder on disk as a FileSource (Node only). */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_MAX_FILE_BYTES, tooLargeMessage, type FileSource } from '../core/io/source';

export function directorySource(dir: string, maxBytes = DEFAULT_MAX_FILE_BYTES): FileSource {
  const root = resolve(dir);
  return {
    label: root,
    async read(path) {
      const full = join(root, path);
      try {
        const info = await stat(full);
        if (!info.isFile())
          return { ok: false, reason: 'missing', message: `${path} is not a file in ${root}` };
        if (info.size > maxBytes) {
          return { ok: false, reason: 'too-large', message: tooLargeMessage(path, info.size, maxBytes) };
        }
        return { ok: true, bytes: new Uint8Array(await readFile(full)) };
      } catch {
        return { ok: false, reason: 'missing', message: `${path} not found in ${root}` };
      }
    },
    async exists(path) {
      try {
        return (await stat(join(root, path))).isFile();
      } catch {
        return false;
      }
    },
  };
}
