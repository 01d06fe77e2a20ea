/** A folder on disk as a FileSource (Node only). */
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { tooLargeMessage } from '../core/io/limits';
import { DEFAULT_MAX_FILE_BYTES, unsafePathProblem, type FileSource } from '../core/io/source';

export function directorySource(dir: string, maxBytes = DEFAULT_MAX_FILE_BYTES): FileSource {
  const root = resolve(dir);
  return {
    label: root,
    async read(path) {
      // Never outside the folder: the manifest names these paths, and it is not trusted.
      const refused = unsafePathProblem(path);
      if (refused !== null) return { ok: false, reason: 'unreadable', message: refused };
      const full = join(root, path);
      try {
        // Nor through a link that leads out of it.
        const [realRoot, real] = await Promise.all([realpath(root), realpath(full)]);
        if (!real.startsWith(realRoot + sep)) {
          const message = `path ${JSON.stringify(path)} is refused: it leads outside the bundle folder (through a link)`;
          return { ok: false, reason: 'unreadable', message };
        }
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
      if (unsafePathProblem(path) !== null) return false;
      try {
        return (await stat(join(root, path))).isFile();
      } catch {
        return false;
      }
    },
  };
}
