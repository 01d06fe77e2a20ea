/**
 * The page's controllers, each over the one store and its own worker client (tests make their
 * own over a store and workers of their choosing). Components call these; nothing here starts
 * a worker before it is needed.
 */
import { ImportClient } from '../city/importWorker';
import { diagnosticsController } from '../diagnostics/controller';
import { layerTester } from '../diagnostics/spatialWorker';
import { cityLoader } from '../city/loading';
import { newCityController } from '../city/newCity';
import { tessellateClient } from '../city/tessellateWorker';
import { llmController } from '../llm/controller';
import { useApp } from '../state/store';
import { tasksController } from '../tasks/controller';
import { taskEvaluator } from '../tasks/evaluationWorker';
import { trainingController } from '../training/controller';
import { TrainingClient } from '../training/trainingWorker';
import { startApp } from './startApp';
import { installTestHook } from './testHook';

export const llm = llmController(useApp);
export const training = trainingController(useApp, new TrainingClient(), llm);
export const tasks = tasksController(useApp, taskEvaluator(), llm);
export const cities = cityLoader(useApp, new ImportClient());
export const newCity = newCityController(useApp, tessellateClient(), cities);
export const diagnostics = diagnosticsController(useApp, layerTester());

/** Start the app on this page (once): the test hook, then startApp. */
export function start(): Promise<void> {
  installTestHook(useApp);
  return startApp(useApp, { cities, training, tasks });
}
