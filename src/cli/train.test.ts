import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../core/io/csv';
import { readNpy } from '../core/io/npy';
import { loadSrel, type SrelManifest } from '../core/srel/serialize';
import { loadFromPath } from './city';
import { parseTrainArgs, trainCommand } from './train';

const riverton = join(import.meta.dirname, '../../sample-cities/riverton');
const out = mkdtempSync(join(tmpdir(), 'topt-train-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run city -- train', () => {
  it('reads the app’s settings from flags and refuses what it does not know', () => {
    const parsed = parseTrainArgs(['city', '--out', 'o', '--epochs', '20', '--no-centrality', '--seed', '3']);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(parsed.target).toBe('city');
    expect(parsed.options.settings).toMatchObject({ epochs: 20, centrality: false, distancePrior: true });
    expect(parsed.options.seed).toBe(3);
    expect(parsed.options.settings.backend).toBe('wasm');
    expect(parseTrainArgs(['city', '--out', 'o', '--epoch', '3'])).toMatch(/Unknown option '--epoch'/);
    expect(parseTrainArgs(['city'])).toBe('--out <folder> is required');
    expect(parseTrainArgs(['city', '--out', 'o', '--epochs', '0'])).toBe(
      '--epochs must be an integer of at least 1, got "0"',
    );
    expect(parseTrainArgs(['city', '--out', 'o', '--epochs', '0x10'])).toBe(
      '--epochs "0x10" is not a decimal number (hexadecimal, octal and binary are not read); expected an integer of at least 1',
    );
    expect(parseTrainArgs(['city', '--out', 'o', '--seed', ''])).toBe(
      '--seed "" is empty, not a number; expected an integer of at least 0',
    );
    expect(parseTrainArgs(['city', '--out', 'o', '--seed', '1e999'])).toBe(
      '--seed "1e999" is beyond the largest number there is (about 1.8e308), not a finite number; expected an integer of at least 0',
    );
    expect(parseTrainArgs(['city', '--out', 'o', '--backend', 'webgpu'])).toMatch(/--backend must be auto/);
  });

  it('trains on Riverton and writes the files the app’s downloads give', async () => {
    const lines: string[] = [];
    const code = await trainCommand(
      [riverton, '--out', out, '--epochs', '1', '--embedding-size', '8', '--heads', '2', '--layers', '1'],
      loadFromPath,
      (line) => lines.push(line),
    );
    expect(code).toBe(0);
    // Named by city, content and date, as the app names its downloads.
    const named = readdirSync(out).map((f) => f.replace(/_\d{4}-\d\d-\d\d\./, '_DATE.'));
    expect(named.sort()).toEqual([
      'riverton_embeddings_DATE.csv',
      'riverton_embeddings_DATE.npy',
      'riverton_predictions_DATE.csv',
      'riverton_predictions_DATE.geojson',
      'riverton_report_DATE.json',
      'riverton_report_DATE.md',
      'riverton_srel-model_DATE.json',
      'riverton_srel-weights_DATE.bin',
    ]);
    const read = (what: string, extension: string): Buffer =>
      readFileSync(
        join(out, readdirSync(out).find((f) => f.includes(`_${what}_`) && f.endsWith(extension)) ?? ''),
      );
    expect(readNpy(read('embeddings', '.npy')).shape).toEqual([150, 8]);
    // The manifest names the weights file beside it, so `--start <manifest>` finds it.
    const manifest = JSON.parse(read('srel-model', '.json').toString()) as SrelManifest;
    const weightsFile = manifest.weightsManifest[0].paths[0];
    expect(readdirSync(out)).toContain(weightsFile);
    loadSrel({ manifest, weights: new Uint8Array(readFileSync(join(out, weightsFile))) }).dispose();
    const predictions = parseCsv(read('predictions', '.csv').toString());
    expect(predictions.header).toContain('crime_predicted');
    expect(predictions.header).toContain('crime_residual_cluster');
    expect(predictions.rows).toHaveLength(150);
    const report = JSON.parse(read('report', '.json').toString()) as {
      tasks: {
        task: string;
        folds: number;
        moransI: number;
        moransIPValue: number;
        spatialWeights: string;
      }[];
      settings: Record<string, unknown>;
    };
    expect(report.tasks.map((t) => [t.task, t.folds])).toEqual([
      ['crime', 10],
      ['checkIn', 10],
      ['serviceCall', 10],
    ]);
    expect(report.settings).toMatchObject({ epochs: 1, embeddingSize: 8, seed: 0, start: 'scratch' });
    // Each task says whether its residuals cluster in space, and with which weights.
    for (const t of report.tasks) {
      expect(t.moransI).toBeGreaterThan(-1);
      expect(t.moransIPValue).toBeGreaterThanOrEqual(0.001);
      expect(t.spatialWeights).toBe('6 nearest regions by centroid');
    }
    expect(read('report', '.md').toString()).toContain('## Do the errors cluster in space?');
    expect(lines).toContain('training 1 epochs, from scratch');
    expect(
      lines.some((l) =>
        /^crime: held-out R² combined -?\d\.\d{3} \(what the app's map shows\), SREL -?\d\.\d{3}, counts only/.test(
          l,
        ),
      ),
    ).toBe(true);
  }, 180_000);

  it('says what a city lacks before training', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      const square = (x: number) => ({
        type: 'Feature',
        properties: { id: `r${x}` },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [x, 0],
              [x + 1, 0],
              [x + 1, 1],
              [x, 1],
              [x, 0],
            ],
          ],
        },
      });
      const regions = join(out, 'regions.geojson');
      writeFileSync(regions, JSON.stringify({ type: 'FeatureCollection', features: [square(0), square(1)] }));
      expect(await trainCommand([regions, '--out', join(out, 'x')], loadFromPath, () => {})).toBe(1);
    } finally {
      console.error = original;
    }
    expect(errors.join('\n')).toMatch(/SREL needs POI counts, land use and trips/);
  });
});
