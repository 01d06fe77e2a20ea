/**
 * The pretrained SREL the project ships (models/srel, made by `npm run pretrain` on the
 * sample cities), served as static assets, and reading a model the user imports.
 */
import manifestUrl from '../../../models/srel/srel-pretrained.json?url&no-inline';
import weightsUrl from '../../../models/srel/srel-pretrained.weights.bin?url&no-inline';
import type { SavedSrel, SrelManifest } from '../../core/srel/serialize';

export const PRETRAINED_NAME = 'the pretrained model (sample cities)';

export async function fetchPretrained(fetchImpl: typeof fetch = fetch): Promise<SavedSrel> {
  const [manifest, weights] = await Promise.all([
    fetchImpl(manifestUrl).then((r) => {
      if (!r.ok) throw new Error(`pretrained model manifest: HTTP ${r.status}`);
      return r.json() as Promise<SrelManifest>;
    }),
    fetchImpl(weightsUrl).then((r) => {
      if (!r.ok) throw new Error(`pretrained model weights: HTTP ${r.status}`);
      return r.arrayBuffer();
    }),
  ]);
  return { manifest, weights: new Uint8Array(weights) };
}

/** An exported model: its `.json` manifest and `.bin` weights, picked together. */
export async function readModelFiles(files: File[]): Promise<{ name: string; model: SavedSrel }> {
  const json = files.find((f) => /\.json$/i.test(f.name));
  const bin = files.find((f) => /\.bin$/i.test(f.name));
  if (!json || !bin)
    throw new Error(
      `pick both files of an exported model: the .json manifest and the .bin weights (got ${files.map((f) => f.name).join(', ') || 'nothing'})`,
    );
  const manifest = await json
    .text()
    .then((text) => JSON.parse(text) as SrelManifest)
    .catch((e: unknown) => {
      throw new Error(`${json.name} is not JSON (${e instanceof Error ? e.message : String(e)})`, {
        cause: e,
      });
    });
  if (manifest.format !== 'topt-srel') throw new Error(`${json.name} is not an SREL model manifest`);
  const weights = new Uint8Array(await bin.arrayBuffer());
  const expected = manifest.weightsManifest
    .flatMap((g) => g.weights)
    .reduce((s, w) => s + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  if (weights.length !== expected)
    throw new Error(`${bin.name} has ${weights.length} bytes; ${json.name} describes ${expected}`);
  return { name: json.name, model: { manifest, weights } };
}
