/**
 * Loading cities into the store. A failed load leaves the current city as it was and shows the
 * problems; a load that finishes after a newer one started is dropped.
 */
import { BENCHMARK_POI_CATEGORIES } from '../../core/city/benchmark';
import {
  loadGeoJsonCity,
  mappingFromRoles,
  suggestMapping,
  type PropertyRole,
} from '../../core/city/geojson';
import { writeCityBundle } from '../../core/city/bundle';
import type { CategoryMapping } from '../../core/city/layers/categoryMapping';
import { classifyDroppedFiles, isLandUseName, refusalProblems } from '../../core/city/droppedFiles';
import { loadCity, loadDroppedFiles } from '../../core/city/load';
import type { City, LoadResult } from '../../core/city/types';
import { listBenchmarkEntries, listSampleEntries, type CityEntry } from './catalog';
import { applyLink, parseLink, syncLinkToUrl, type DeepLink } from '../session/deepLink';
import { loadSession, type CitySource } from '../session/persistence';
import { persistSession, preferValue } from '../training/controller';
import type { ImportMessage, ImportRequest } from '../../workers/protocol';
import { useApp, type PendingCategories } from '../state/store';

let latest = 0;

/** What a city rebuilt from dropped raw layers is called: its name and this. */
const IMPORTED_SUFFIX = ' (imported layers)';

async function runLoad(
  subject: string,
  origin: string,
  entryKey: string | null,
  source: CitySource,
  load: () => Promise<LoadResult>,
  notes: () => string[] = () => [],
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
  s.showCity(result.city, origin, entryKey, source);
  const lines = notes();
  s.setReport(
    result.problems.length > 0 || lines.length > 0
      ? { subject, outcome: 'loaded', problems: result.problems, notes: lines }
      : null,
  );
  return true;
}

export function openEntry(entry: CityEntry): Promise<boolean> {
  return runLoad(entry.name, entry.group, entry.key, { kind: 'entry', key: entry.key }, () =>
    loadCity(entry.source()),
  );
}

/**
 * Files dropped on the page or picked with the file input: what they are is
 * classifyDroppedFiles's answer (raw layers of the open city, a city bundle, a GeoJSON of
 * regions, or a refusal with the reason, which leaves the current city as it was). A GeoJSON of
 * regions whose features carry numeric properties first asks what those properties are (POI
 * counts, land use, task labels); the current city stays until the user builds the new one.
 */
export async function openFiles(files: File[]): Promise<boolean> {
  if (files.length === 0) return false;
  const dropped = await Promise.all(
    files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
  const current = useApp.getState().current;
  const what = classifyDroppedFiles(dropped, { cityOpen: !!current });
  if (what.kind === 'layers') return importRawLayers(what.layers.map((l) => l.file));
  const subject =
    files.length === 1 ? files[0].name : `${files.length} files (${files.map((f) => f.name).join(', ')})`;
  if (what.kind === 'refused') {
    // Files taken as layers are named as an import into the open city is.
    const named =
      what.asLayers && current
        ? `${files.map((f) => f.name).join(', ')} into ${current.city.metadata.name}`
        : subject;
    return runLoad(named, 'Your files', null, { kind: 'files', files: [] }, async () => ({
      city: null,
      problems: refusalProblems(what.refusals),
    }));
  }
  if (what.kind === 'regions') {
    const { name, bytes } = what.file;
    const probe = loadGeoJsonCity(bytes, name);
    const numeric = probe.properties.filter((p) => p.present > 0 && p.numeric === p.present);
    if (probe.city && numeric.length > 0) {
      const roles = suggestMapping(numeric, BENCHMARK_POI_CATEGORIES);
      useApp.getState().setPendingMapping({ fileName: name, bytes, properties: numeric, roles });
      return false;
    }
  }
  return openDropped(subject, dropped);
}

/**
 * The import worker that asked for POI categories: kept, since it still holds the points it
 * read, for the import that follows the user's answer; null otherwise.
 */
let askingWorker: Worker | null = null;

/** The user cancelled the category panel: the worker waiting for the answer goes. */
export function dropWaitingImport(): void {
  askingWorker?.terminate();
  askingWorker = null;
}

/**
 * Rebuild the current city's views from raw layers in a worker (all or nothing) and open the
 * result as a city of its own, saved like dropped files (as a bundle), with a report of what
 * was read and dropped. On failure the current city stays and the report says why. Without
 * `poi`, POI points whose categories the city lacks (beyond this session's remembered choices)
 * are not imported yet: the mapping panel asks for them first (store pendingCategories).
 */
export async function importRawLayers(
  files: { name: string; bytes: Uint8Array }[],
  poi?: { mapping: CategoryMapping; ownCategories: boolean },
): Promise<boolean> {
  const current = useApp.getState().current;
  if (!current) return false;
  const name = current.city.metadata.name;
  const subject = `${files.map((f) => f.name).join(', ')} into ${name}`;
  let report: string[] = [];
  let bundle: { name: string; bytes: Uint8Array }[] = [];
  let asked: PendingCategories | null = null;
  const earlierReport = useApp.getState().report;
  const source: CitySource = { kind: 'files', files: [] };
  const startedAt = Date.now();
  const classified = classifyDroppedFiles(files, { cityOpen: true });
  const layerFiles = classified.kind === 'layers' ? classified.layers : [];
  const request: ImportRequest = {
    type: 'import',
    city: current.city,
    files,
    poi: poi ?? { mapping: useApp.getState().categoryMapping, ownCategories: false },
    askMapping: !poi,
  };
  const opened = await runLoad(
    subject,
    'Your files',
    null,
    source,
    () =>
      new Promise<LoadResult>((resolve) => {
        // The answer to a category question goes to the worker that asked (it holds the points).
        const kept = poi ? askingWorker : null;
        if (kept) askingWorker = null;
        else dropWaitingImport();
        const worker =
          kept ?? new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module' });
        const finish = (result: LoadResult, keep = false): void => {
          if (keep) askingWorker = worker;
          else worker.terminate();
          useApp.getState().setImportProgress(null);
          resolve(result);
        };
        worker.onmessage = (e: MessageEvent<ImportMessage>) => {
          const m = e.data;
          if (m.type === 'progress') {
            useApp.getState().setLoading(`${m.file} (${m.done + 1} of ${m.total})`);
            useApp.getState().setImportProgress({
              file: m.file,
              fileIndex: m.done,
              files: m.total,
              within: m.within,
              startedAt,
            });
            return;
          }
          if (m.type === 'categories') {
            asked = { files, layers: m.layers };
            finish({ city: null, problems: [] }, true);
            return;
          }
          if (m.type === 'failed') {
            // A GeoJSON of points may have been meant as regions: say how it was read.
            const pointFiles = layerFiles
              .filter((l) => l.kind === 'geoJsonPoints' && !isLandUseName(l.file.name))
              .map((l) => l.file);
            finish({
              city: null,
              problems: [
                { severity: 'error', file: subject, message: m.message },
                ...pointFiles.map((f) => ({
                  severity: 'warning' as const,
                  file: f.name,
                  message: `holds points, so it was read as a layer of ${name}; to open it as the regions of a new city, its features must be Polygon or MultiPolygon`,
                })),
              ],
            });
            return;
          }
          // Layers dropped again on an imported city keep its name (no second suffix).
          const named = name.endsWith(IMPORTED_SUFFIX) ? name : `${name}${IMPORTED_SUFFIX}`;
          const city = { ...m.city, metadata: { ...m.city.metadata, name: named } };
          report = m.report;
          bundle = Object.entries(writeCityBundle(city)).map(([file, bytes]) => ({ name: file, bytes }));
          source.files = bundle;
          finish({ city, problems: [] });
        };
        worker.onerror = (e) =>
          finish({
            city: null,
            problems: [
              { severity: 'error', file: subject, message: e.message || 'the import worker failed' },
            ],
          });
        worker.postMessage(request);
      }),
    () => report,
  );
  if (asked) {
    // Nothing was imported: the panel asks for the categories, the earlier report stays.
    useApp.getState().setReport(earlierReport);
    useApp.getState().setPendingCategories(asked);
  }
  // A city that had no views (e.g. just tessellated) could only show areas: show what came in.
  const after = useApp.getState();
  const { poi: p, landUse: l, trips: t } = current.city.views;
  if (opened && !p && !l && !t && after.current && after.valueId === 'area')
    after.setValueId(after.current.options[0]?.id ?? after.valueId);
  return opened;
}

/** Import the layers waiting for their POI categories with the user's choices (remembered for the session). */
export function importWithCategories(mapping: CategoryMapping, ownCategories: boolean): Promise<boolean> {
  const pending = useApp.getState().pendingCategories;
  if (!pending) return Promise.resolve(false);
  useApp.getState().setPendingCategories(null);
  if (!ownCategories) useApp.getState().rememberCategoryMapping(mapping);
  return importRawLayers(pending.files, { mapping, ownCategories });
}

function openDropped(subject: string, dropped: { name: string; bytes: Uint8Array }[]): Promise<boolean> {
  return runLoad(subject, 'Your files', null, { kind: 'files', files: dropped }, async () =>
    loadDroppedFiles(dropped),
  );
}

/**
 * Open a city built in the app (e.g. regions tessellated from a study area) from its bundle
 * files, saved like dropped files so a reload brings it back.
 */
export function openBuiltCity(
  subject: string,
  city: City,
  bundle: { name: string; bytes: Uint8Array }[],
): Promise<boolean> {
  return runLoad(subject, 'Your files', null, { kind: 'files', files: bundle }, () =>
    Promise.resolve({ city, problems: [] }),
  );
}

/** Build the city from a dropped GeoJSON with the roles the user chose. */
export function buildMappedCity(
  fileName: string,
  bytes: Uint8Array,
  roles: Record<string, PropertyRole>,
): Promise<boolean> {
  useApp.getState().setPendingMapping(null);
  return runLoad(fileName, 'Your files', null, { kind: 'mapped', fileName, bytes, roles }, async () =>
    loadGeoJsonCity(bytes, fileName, mappingFromRoles(roles)),
  );
}

let started = false;

/** Open the saved city from the user's own files (their bytes were saved). */
function openSource(source: CitySource): Promise<boolean> {
  if (source.kind === 'files') return openDropped(source.files.map((f) => f.name).join(', '), source.files);
  if (source.kind === 'mapped') return buildMappedCity(source.fileName, source.bytes, source.roles);
  return Promise.resolve(false);
}

/**
 * Lists the cities and opens the one the URL names (see deepLink.ts), else the one of the
 * saved session (see persistence.ts), else the default sample city; adds the benchmark
 * cities if the server offers them. Then brings back the city's last training run.
 */
export async function startApp(): Promise<void> {
  if (started) return;
  started = true;
  const link = parseLink(window.location.search);
  const saved = await loadSession();
  const store = useApp.getState();
  if (saved) {
    store.updateSettings(saved.settings);
    store.updateTrainSettings(saved.trainSettings);
  }
  syncLinkToUrl();
  const wanted = link.city ?? (saved?.city?.kind === 'entry' ? saved.city.key : null);
  const view: DeepLink = link.city ? link : { city: wanted, value: saved?.valueId ?? null, region: null };
  preferValue(view.value);
  const samples = await listSampleEntries();
  store.setEntries(samples);
  const linked = samples.find((e) => e.key === wanted);
  const first = samples.find((e) => e.isDefault) ?? samples[0];
  const wantsBenchmark = !linked && !!wanted?.startsWith('benchmark:');
  const savedFiles = !link.city && saved?.city && saved.city.kind !== 'entry' ? saved.city : null;
  let opening = Promise.resolve(false);
  if (savedFiles) opening = openSource(savedFiles).then((ok) => ok || (!!first && openEntry(first)));
  else if (!wantsBenchmark && (linked ?? first)) opening = openEntry(linked ?? first);
  const benchmark = await listBenchmarkEntries();
  useApp.getState().setEntries([...samples, ...benchmark]);
  const entry = wantsBenchmark ? benchmark.find((e) => e.key === wanted) : undefined;
  if (wantsBenchmark) opening = entry ? openEntry(entry) : first ? openEntry(first) : opening;
  const opened = await opening;
  const current = useApp.getState().current;
  if (opened && current && (savedFiles || current.entryKey === wanted)) applyLink(view);
  if (wantsBenchmark && !entry)
    useApp.getState().setReport({
      subject: wanted ?? '',
      outcome: 'loaded',
      problems: [
        {
          severity: 'warning',
          file: wanted ?? '',
          message: `the ${link.city ? 'link' : 'saved session'} names a benchmark city this server does not offer; showing the sample city instead`,
        },
      ],
    });
  persistSession();
}
