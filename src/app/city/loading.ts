/**
 * Loading cities: from the catalog, from dropped files (a bundle, a GeoJSON of regions, raw
 * layers imported into the open city in a worker), from a built city. A failed load leaves the
 * current city as it was and shows the problems; a load that finishes after a newer one
 * began is dropped (the city slice's load ticket).
 */
import { BENCHMARK_POI_CATEGORIES } from '../../core/city/benchmark';
import { writeCityBundle } from '../../core/city/bundle';
import {
  classifyDroppedFiles,
  HEAD_BYTES,
  isLandUseName,
  refusalProblems,
} from '../../core/city/droppedFiles';
import { MAX_FILE_BYTES } from '../../core/io/limits';
import {
  mappingFromRoles,
  suggestMapping,
  type GeoJsonCityResult,
  type GeoJsonMapping,
  type PropertyRole,
} from '../../core/city/geojson';
import type { CategoryMapping } from '../../core/city/layers/categoryMapping';
import { loadCity, loadDroppedFiles } from '../../core/city/load';
import type { City, LoadProblem } from '../../core/city/types';
import type { ImportJobs } from '../../workers/protocol';
import type { CityOrigin, CitySource, Loaded } from '../state/city';
import type { AppStore } from '../state/store';
import type { CityEntry } from './catalog';
import type { ImportClient } from './importWorker';
import { slowTrainingWarning, tripsOverCapacity } from './tripsCapacity';

type DroppedFile = { name: string; bytes: Uint8Array };

/** What a city rebuilt from dropped raw layers is called: its name and this. */
const IMPORTED_SUFFIX = ' (imported layers)';

const yourFiles = (source: CitySource): CityOrigin => ({ origin: 'Your files', entryKey: null, source });

export interface CityLoader {
  openEntry(entry: CityEntry): Promise<boolean>;
  /**
   * Files dropped on the page or picked with the file input: what they are is
   * classifyDroppedFiles's answer (raw layers of the open city, a city bundle, a GeoJSON of
   * regions, or a refusal with the reason, which leaves the current city as it was). A GeoJSON
   * of regions whose features carry numeric properties first asks what those properties are
   * (POI counts, land use, task labels); the current city stays until the user builds the new one.
   */
  openFiles(files: File[]): Promise<boolean>;
  /**
   * Rebuild the current city's views from raw layers in a worker (all or nothing) and open the
   * result as a city of its own, saved like dropped files (as a bundle), with a report of what
   * was read and dropped. On failure the current city stays and the report says why. Without
   * `poi`, POI points whose categories the city lacks (beyond this session's remembered
   * choices) are not imported yet: the mapping panel asks for them first.
   */
  importRawLayers(
    files: DroppedFile[],
    poi?: { mapping: CategoryMapping; ownCategories: boolean },
  ): Promise<boolean>;
  /** Import the layers waiting for their POI categories with the user's choices. */
  importWithCategories(mapping: CategoryMapping, ownCategories: boolean): Promise<boolean>;
  /** The user cancelled the category panel: the worker waiting for the answer goes. */
  cancelCategories(): void;
  /** Build the city from a dropped GeoJSON with the roles the user chose. */
  buildMappedCity(fileName: string, bytes: Uint8Array, roles: Record<string, PropertyRole>): Promise<boolean>;
  /**
   * Open a city built in the app (e.g. regions tessellated from a study area) from its bundle
   * files, saved like dropped files so a reload brings it back.
   */
  openBuiltCity(subject: string, city: City, bundle: DroppedFile[]): Promise<boolean>;
  /** Open a saved city from the user's own files (their bytes were saved). */
  openSource(source: CitySource): Promise<boolean>;
}

export function cityLoader(store: AppStore, importer: ImportClient): CityLoader {
  async function runLoad(subject: string, from: CityOrigin, load: () => Promise<Loaded>): Promise<boolean> {
    const ticket = store.getState().beginLoad(subject);
    const loaded = await Promise.resolve()
      .then(load)
      .catch((e: unknown): Loaded => ({
        city: null,
        problems: [
          {
            severity: 'error',
            file: subject,
            message: `could not be read (${e instanceof Error ? e.message : String(e)})`,
          },
        ],
      }));
    return store.getState().loadFinished(ticket, subject, loaded, from);
  }

  /**
   * A GeoJSON of regions read and checked in the import worker (50,000 polygons kept the page
   * from answering for over a minute), its progress shown as an import's.
   */
  async function regionsInWorker(
    name: string,
    bytes: Uint8Array,
    mapping?: GeoJsonMapping,
  ): Promise<GeoJsonCityResult> {
    const startedAt = Date.now();
    const read = await importer.regions({ name, bytes }, mapping, (p) =>
      store.getState().importProgressed(p, startedAt),
    );
    store.getState().importEnded();
    if (!('failed' in read)) return read;
    return {
      city: null,
      problems: [{ severity: 'error', file: name, message: `could not be read (${read.failed})` }],
      properties: [],
    };
  }

  /** What a load needs of a GeoJSON's result (not its properties). */
  const asLoaded = ({ city, problems }: GeoJsonCityResult): Loaded => ({ city, problems });

  const openDropped = (subject: string, dropped: DroppedFile[]): Promise<boolean> =>
    runLoad(subject, yourFiles({ kind: 'files', files: dropped }), async () => {
      const what = classifyDroppedFiles(dropped, { cityOpen: false });
      return what.kind === 'regions'
        ? asLoaded(await regionsInWorker(what.file.name, what.file.bytes))
        : loadDroppedFiles(dropped);
    });

  /** The imported city, renamed, with what the import read and its bundle to save. */
  function importedCity(
    name: string,
    done: Extract<ImportJobs['result'], { type: 'done' }>,
    warnings: LoadProblem[],
  ): Loaded {
    // Layers dropped again on an imported city keep its name (no second suffix).
    const named = name.endsWith(IMPORTED_SUFFIX) ? name : `${name}${IMPORTED_SUFFIX}`;
    const city = { ...done.city, metadata: { ...done.city.metadata, name: named } };
    const bundle = Object.entries(writeCityBundle(city)).map(([file, bytes]) => ({ name: file, bytes }));
    return { city, problems: warnings, notes: done.report, source: { kind: 'files', files: bundle } };
  }

  async function importRawLayers(
    files: DroppedFile[],
    poi?: { mapping: CategoryMapping; ownCategories: boolean },
  ): Promise<boolean> {
    const current = store.getState().current;
    if (!current) return false;
    const name = current.city.metadata.name;
    const subject = `${files.map((f) => f.name).join(', ')} into ${name}`;
    const startedAt = Date.now();
    const classified = classifyDroppedFiles(files, { cityOpen: true });
    const layerFiles = classified.kind === 'layers' ? classified.layers : [];
    const tripFiles = layerFiles.filter((l) => l.kind === 'trips').map((l) => l.file.name);
    const regions = current.city.regions.length;
    const over = tripsOverCapacity(tripFiles, name, regions, files.length - tripFiles.length);
    // Refused before the worker reads anything: the city stays as it was.
    if (over)
      return runLoad(subject, yourFiles({ kind: 'files', files: [] }), async () => ({
        city: null,
        problems: over,
      }));
    const ticket = store.getState().beginLoad(subject);
    const outcome = await importer.run(
      {
        city: current.city,
        files,
        poi: poi ?? { mapping: store.getState().categoryMapping, ownCategories: false },
        askMapping: !poi,
      },
      (p) => store.getState().importProgressed(p, startedAt),
    );
    store.getState().importEnded();
    if (outcome.type === 'categories') {
      // Nothing was imported: the panel asks for the categories, the earlier report stays.
      store.getState().askCategories(ticket, { files, layers: outcome.layers });
      return false;
    }
    // A GeoJSON of points may have been meant as regions: say how it was read.
    const pointFiles = layerFiles
      .filter((l) => l.kind === 'geoJsonPoints' && !isLandUseName(l.file.name))
      .map((l) => l.file);
    const { trainSettings, backendChoice } = store.getState();
    const slow = slowTrainingWarning(
      tripFiles,
      regions,
      trainSettings.epochs,
      trainSettings.backend,
      backendChoice,
    );
    const loaded: Loaded =
      outcome.type === 'done'
        ? importedCity(name, outcome, slow ? [slow] : [])
        : {
            city: null,
            problems: [
              { severity: 'error', file: subject, message: outcome.message },
              ...pointFiles.map((f) => ({
                severity: 'warning' as const,
                file: f.name,
                message: `holds points, so it was read as a layer of ${name}; to open it as the regions of a new city, its features must be Polygon or MultiPolygon`,
              })),
            ],
          };
    const opened = store
      .getState()
      .loadFinished(ticket, subject, loaded, yourFiles({ kind: 'files', files: [] }));
    // A city that had no views (e.g. just tessellated) could only show areas: show what came in.
    const after = store.getState();
    const { poi: p, landUse: l, trips: t } = current.city.views;
    if (opened && !p && !l && !t && after.current && after.valueId === 'area')
      after.setValueId(after.current.options[0]?.id ?? after.valueId);
    return opened;
  }

  function buildMappedCity(
    fileName: string,
    bytes: Uint8Array,
    roles: Record<string, PropertyRole>,
  ): Promise<boolean> {
    store.getState().setPendingMapping(null);
    return runLoad(fileName, yourFiles({ kind: 'mapped', fileName, bytes, roles }), async () =>
      asLoaded(await regionsInWorker(fileName, bytes, mappingFromRoles(roles))),
    );
  }

  return {
    openEntry: (entry) =>
      runLoad(
        entry.name,
        { origin: entry.group, entryKey: entry.key, source: { kind: 'entry', key: entry.key } },
        () => loadCity(entry.source()),
      ),

    async openFiles(files) {
      if (files.length === 0) return false;
      // A file over the limit is read no further than its start: it is refused by its size
      // (classifyDroppedFiles), as the command line refuses it, without holding it in memory.
      const dropped = await Promise.all(
        files.map(async (f) =>
          f.size > MAX_FILE_BYTES
            ? {
                name: f.name,
                bytes: new Uint8Array(await f.slice(0, HEAD_BYTES).arrayBuffer()),
                size: f.size,
              }
            : { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) },
        ),
      );
      const current = store.getState().current;
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
        return runLoad(named, yourFiles({ kind: 'files', files: [] }), async () => ({
          city: null,
          problems: refusalProblems(what.refusals),
        }));
      }
      if (what.kind === 'regions') {
        // Read once, in the worker: the city it gives is opened, unless its numeric
        // properties need a mapping first (the panel asks; the current city stays).
        const { name, bytes } = what.file;
        const ticket = store.getState().beginLoad(subject);
        const probe = await regionsInWorker(name, bytes);
        // A property with some values that are not numbers is still offered (with the first
        // such value named in the panel), not left out of it.
        const numeric = probe.properties.filter((p) => p.numeric > 0);
        if (probe.city && numeric.length > 0) {
          const roles = suggestMapping(numeric, BENCHMARK_POI_CATEGORIES);
          store.getState().askMapping(ticket, { fileName: name, bytes, properties: numeric, roles });
          return false;
        }
        return store
          .getState()
          .loadFinished(ticket, subject, asLoaded(probe), yourFiles({ kind: 'files', files: dropped }));
      }
      return openDropped(subject, dropped);
    },

    importRawLayers,

    importWithCategories(mapping, ownCategories) {
      const pending = store.getState().pendingCategories;
      if (!pending) return Promise.resolve(false);
      store.getState().answerCategories({ mapping, ownCategories });
      return importRawLayers(pending.files, { mapping, ownCategories });
    },

    cancelCategories() {
      importer.drop();
      store.getState().answerCategories(null);
    },

    buildMappedCity,

    openBuiltCity: (subject, city, bundle) =>
      runLoad(subject, yourFiles({ kind: 'files', files: bundle }), () =>
        Promise.resolve({ city, problems: [] }),
      ),

    openSource(source) {
      if (source.kind === 'files')
        return openDropped(source.files.map((f) => f.name).join(', '), source.files);
      if (source.kind === 'mapped') return buildMappedCity(source.fileName, source.bytes, source.roles);
      return Promise.resolve(false);
    },
  };
}
