/**
 * Loading cities into the store. A failed load leaves the current city as it was and shows the
 * problems; a load that finishes after a newer one started is dropped.
 */
import { loadCity, loadDroppedFiles } from '../core/city/load';
import type { LoadResult } from '../core/city/types';
import { listBenchmarkEntries, listSampleEntries, type CityEntry } from './catalog';
import { useApp } from './store';

let latest = 0;

async function runLoad(
  subject: string,
  origin: string,
  entryKey: string | null,
  load: () => Promise<LoadResult>,
): Promise<boolean> {
  const ticket = ++latest;
  const store = useApp.getState();
  store.setLoading(subject);
  let result: LoadResult;
  try {
    result = await load();
  } catch (e) {
    result = {
      city: null,
      problems: [
        {
          severity: 'error',
          file: subject,
          message: `could not be read (${e instanceof Error ? e.message : String(e)})`,
        },
      ],
    };
  }
  if (ticket !== latest) return false;
  const s = useApp.getState();
  s.setLoading(null);
  if (!result.city) {
    s.setReport({ subject, outcome: 'failed', problems: result.problems });
    return false;
  }
  s.showCity(result.city, origin, entryKey);
  s.setReport(result.problems.length > 0 ? { subject, outcome: 'loaded', problems: result.problems } : null);
  return true;
}

export function openEntry(entry: CityEntry): Promise<boolean> {
  return runLoad(entry.name, entry.group, entry.key, () => loadCity(entry.source()));
}

/** Files dropped on the page or picked with the file input. */
export async function openFiles(files: File[]): Promise<boolean> {
  if (files.length === 0) return false;
  const subject =
    files.length === 1 ? files[0].name : `${files.length} files (${files.map((f) => f.name).join(', ')})`;
  return runLoad(subject, 'Your files', null, async () => {
    const dropped = await Promise.all(
      files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    return loadDroppedFiles(dropped);
  });
}

let started = false;

/** Lists the cities, opens the default sample city, then adds the benchmark cities if served. */
export async function startApp(): Promise<void> {
  if (started) return;
  started = true;
  const samples = await listSampleEntries();
  useApp.getState().setEntries(samples);
  const first = samples.find((e) => e.isDefault) ?? samples[0];
  const opening = first ? openEntry(first) : Promise.resolve(false);
  const benchmark = await listBenchmarkEntries();
  useApp.getState().setEntries([...samples, ...benchmark]);
  await opening;
}
