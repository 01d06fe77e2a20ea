/**
 * Start-up: list the cities and open the one the URL names (deepLink.ts), else the one of the
 * saved session (persistence.ts), else the default sample city; add the benchmark cities if
 * the server offers them. The subscriptions of the session are installed here, explicitly:
 * the one on a change of city (cityChange.ts), the address bar, and saving the session.
 */
import { listBenchmarkEntries, listSampleEntries } from '../city/catalog';
import type { CityLoader } from '../city/loading';
import type { LoadedCity } from '../state/city';
import type { AppStore } from '../state/store';
import type { TasksController } from '../tasks/controller';
import type { TrainingController } from '../training/controller';
import { watchCityChange } from './cityChange';
import { applyLink, parseLink, syncLinkToUrl, type DeepLink } from './deepLink';
import { loadSession, saveSession } from './persistence';

export interface StartDeps {
  cities: Pick<CityLoader, 'openEntry' | 'openSource'>;
  training: Pick<TrainingController, 'stop' | 'restoreSavedRun'>;
  tasks: Pick<TasksController, 'restoreCustomTasks'>;
}

/**
 * Save the session (city source, settings, value shown, the measured backend choice) now and
 * whenever it changes.
 */
export function persistSession(store: AppStore): () => void {
  const save = (): void => {
    const s = store.getState();
    void saveSession(
      {
        city: s.current?.source ?? null,
        valueId: s.valueId,
        settings: s.settings,
        trainSettings: s.trainSettings,
        trainSettingsSetOn: s.trainSettingsSetOn,
        backendChoice: s.backendChoice,
      },
      sessionInWords(s.current),
    );
  };
  save();
  return store.subscribe((s, p) => {
    if (
      s.current !== p.current ||
      s.valueId !== p.valueId ||
      s.settings !== p.settings ||
      s.trainSettings !== p.trainSettings ||
      s.trainSettingsSetOn !== p.trainSettingsSetOn ||
      s.backendChoice !== p.backendChoice
    )
      save();
  });
}

/** What the saved session holds, in words: the city it reopens (its files, if the user's) and the settings. */
export function sessionInWords(current: Pick<LoadedCity, 'source' | 'city'> | null): string {
  if (!current?.source) return 'the session (settings)';
  const name = current.city.metadata.name;
  return current.source.kind === 'entry'
    ? `the session (that ${name} is open, and the settings)`
    : `your city ${name} (its files) and the settings`;
}

export async function startApp(store: AppStore, { cities, training, tasks }: StartDeps): Promise<void> {
  if (!store.getState().startOnce()) return;
  watchCityChange(store, training, tasks);
  const link = parseLink(window.location.search);
  const saved = await loadSession();
  const s = store.getState();
  if (saved) {
    s.updateSettings(saved.settings);
    s.updateTrainSettings(saved.trainSettings, saved.trainSettingsSetOn ?? null);
    // A choice measured during start-up (a Train clicked before the session was read) stays.
    if (saved.backendChoice && !store.getState().backendChoice) s.rememberBackend(saved.backendChoice);
  }
  syncLinkToUrl(store);
  const wanted = link.city ?? (saved?.city?.kind === 'entry' ? saved.city.key : null);
  const view: DeepLink = link.city
    ? link
    : {
        city: wanted,
        value: saved?.valueId ?? null,
        region: null,
        camera: null,
      };
  s.preferValue(view.value);
  const samples = await listSampleEntries();
  s.setEntries(samples);
  const linked = samples.find((e) => e.key === wanted);
  const first = samples.find((e) => e.isDefault) ?? samples[0];
  const wantsBenchmark = !linked && !!wanted?.startsWith('benchmark:');
  const savedFiles = !link.city && saved?.city && saved.city.kind !== 'entry' ? saved.city : null;
  const openFirst = (): Promise<boolean> => (first ? cities.openEntry(first) : Promise.resolve(false));
  const openingSample = savedFiles
    ? cities.openSource(savedFiles).then((ok) => ok || openFirst())
    : !wantsBenchmark && (linked ?? first)
      ? cities.openEntry(linked ?? first)
      : Promise.resolve(false);
  const benchmark = await listBenchmarkEntries();
  store.getState().setEntries([...samples, ...benchmark]);
  const entry = wantsBenchmark ? benchmark.find((e) => e.key === wanted) : undefined;
  const opening = !wantsBenchmark ? openingSample : entry ? cities.openEntry(entry) : openFirst();
  const opened = await opening;
  const current = store.getState().current;
  if (opened && current && (savedFiles || current.entryKey === wanted)) applyLink(store, view);
  if (wantsBenchmark && !entry)
    store.getState().setReport({
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
  persistSession(store);
}
