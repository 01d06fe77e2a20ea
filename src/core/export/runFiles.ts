/**
 * Every file a finished run gives, the same from the app's download buttons and from the
 * headless `npm run city -- train`: embeddings (.npy, .csv), predictions (.csv, GeoJSON), the
 * report (.md, .json) and the model (manifest .json and weights .bin).
 */
import type { City } from '../city/types';
import type { TrainedResult } from '../pipeline/types';
import { withWeightsFile } from '../srel/manifest';
import type { Task } from '../tasks/types';
import {
  embeddingsCsv,
  embeddingsNpy,
  exportName,
  predictionsCsv,
  predictionsGeoJson,
  type ExportFile,
  type PredictionColumn,
} from './files';
import { reportJson, reportMarkdown, type ResultsReport } from './report';

/** A file of the run, made when asked for (a download button makes only its own). */
export interface RunFile {
  /** What it is, e.g. "Embeddings (.npy)". */
  label: string;
  file: () => ExportFile;
}

/** The report of a run: settings, backend and per task its held-out metrics. */
export function resultsReport(
  city: City,
  tasks: Pick<Task, 'id' | 'name'>[],
  result: TrainedResult,
  settings: ResultsReport['settings'],
  date: Date,
): ResultsReport {
  return {
    city: city.metadata.name,
    createdAt: date.toISOString(),
    backend: result.backend,
    epochs: result.epochs,
    settings: { ...settings },
    tasks: result.reports.map((r) => ({
      task: r.task,
      name: tasks.find((t) => t.id === r.task)?.name ?? r.task,
      folds: r.folds,
      embedding: r.embedding,
      raw: r.raw,
      combined: r.combined ?? null,
      prompt: r.prompt
        ? { name: r.prompt.name, metrics: r.prompt.metrics, foldsUsingPrompt: r.prompt.foldsUsingPrompt }
        : null,
      moransI: r.residualPattern?.moransI ?? null,
      moransIPValue: r.residualPattern?.moransIPValue ?? null,
      spatialWeights: r.residualPattern?.spatialWeights ?? null,
      moransIPermutations: r.residualPattern?.permutations ?? null,
      moransIRegions: r.residualPattern?.regions ?? null,
    })),
  };
}

const text = (name: string, mime: string, body: string): ExportFile => ({
  name,
  mime,
  bytes: new TextEncoder().encode(body),
});

/** The run's files, named by city, content and date. */
export function runFiles(
  city: City,
  tasks: Pick<Task, 'id' | 'name' | 'labels'>[],
  result: TrainedResult,
  settings: ResultsReport['settings'],
  date: Date,
): RunFile[] {
  const name = city.metadata.name;
  const ids = city.regions.map((r) => r.id);
  const n = ids.length;
  const files: RunFile[] = [
    {
      label: 'Embeddings (.npy)',
      file: () => embeddingsNpy(result.embedding, n, result.d, exportName(name, 'embeddings', date, 'npy')),
    },
    {
      label: 'Embeddings (.csv)',
      file: () => embeddingsCsv(ids, result.embedding, result.d, exportName(name, 'embeddings', date, 'csv')),
    },
  ];
  const columns = (): PredictionColumn[] =>
    result.reports.map((r) => ({
      task: r.task,
      actual: tasks.find((t) => t.id === r.task)?.labels ?? null,
      predicted: r.predicted,
      heldOut: r.heldOut,
      ...(r.residualPattern ? { residualCluster: r.residualPattern.lisa } : {}),
    }));
  if (result.reports.length)
    files.push(
      {
        label: 'Predictions (.csv)',
        file: () =>
          predictionsCsv(
            ids,
            city.regions.map((r) => r.name ?? null),
            columns(),
            exportName(name, 'predictions', date, 'csv'),
          ),
      },
      {
        label: 'Predictions (GeoJSON)',
        file: () =>
          predictionsGeoJson(city.regions, columns(), exportName(name, 'predictions', date, 'geojson')),
      },
    );
  const report = (): ResultsReport => resultsReport(city, tasks, result, settings, date);
  const weightsName = exportName(name, 'srel-weights', date, 'bin');
  files.push(
    {
      label: 'Report (.md)',
      file: () => text(exportName(name, 'report', date, 'md'), 'text/markdown', reportMarkdown(report())),
    },
    {
      label: 'Report (.json)',
      file: () => text(exportName(name, 'report', date, 'json'), 'application/json', reportJson(report())),
    },
    {
      label: 'Model config (.json)',
      file: () =>
        text(
          exportName(name, 'srel-model', date, 'json'),
          'application/json',
          JSON.stringify(withWeightsFile(result.model.manifest, weightsName), null, 1),
        ),
    },
    {
      label: 'Model weights (.bin)',
      file: () => ({
        // Named by city and date like the others; the manifest above names it so.
        name: weightsName,
        mime: 'application/octet-stream',
        bytes: result.model.weights,
      }),
    },
  );
  return files;
}
