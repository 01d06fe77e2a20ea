/**
 * The one subscription on a change of city (installed by startApp). A run belongs to its city:
 * showing another city stops it. The new city's saved custom tasks come back, then its last
 * finished run (whose reports may include those tasks).
 */
import type { AppStore } from '../state/store';
import type { TasksController } from '../tasks/controller';
import type { TrainingController } from '../training/controller';

export function watchCityChange(
  store: AppStore,
  training: Pick<TrainingController, 'stop' | 'restoreSavedRun'>,
  tasks: Pick<TasksController, 'restoreCustomTasks'>,
): () => void {
  return store.subscribe((s, previous) => {
    if (s.current?.loadId === previous.current?.loadId) return;
    training.stop();
    const loaded = s.current;
    if (loaded)
      void tasks.restoreCustomTasks(loaded).then(() => {
        const now = store.getState().current;
        if (now?.loadId === loaded.loadId) return training.restoreSavedRun(now);
      });
  });
}
