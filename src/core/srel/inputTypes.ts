/**
 * What SREL reads from a city, in either layout: dense (N x N pairs, small cities) or sparse
 * (neighbourhoods and sampled pairs, large cities). Plain typed arrays; no tensors here.
 */
import type { SparseMatrix } from '../math/sparse';
import type { RegionNeighbours } from '../spatial/neighbours';
import type { CountFeatures } from './config';

/** What both layouts share: the three views and the centrality, N x something, never N x N. */
export interface SrelInputsBase {
  n: number;
  /** log1p POI counts, N x P (N x 2P with linear counts: [log1p | z-scored counts]). */
  poi: Float32Array;
  poiDim: number;
  /** log1p land-use counts, N x L (N x 2L with linear counts, as the POI view). */
  landUse: Float32Array;
  landUseDim: number;
  /**
   * Mobility view, N x (2 + 2 (P + L)): z-scored log1p trips out and in, then where trips go
   * to and come from, as the trip-weighted mean of the destinations' (origins') standardised
   * POI and land-use profiles. Its width does not depend on N, so weights transfer.
   */
  mobility: Float32Array;
  mobilityDim: number;
  /** c, N. */
  centrality: Float32Array | null;
  hopBucketCount: number;
  /** Which prior the city used (for reports). */
  priorDescription: string;
  /** How the POI and land-use views were built. */
  countFeatures: CountFeatures;
}

/**
 * SREL's inputs for a city small enough for N x N (every region attends to every region and
 * the losses see every pair): what the benchmark cities and small sample cities use.
 */
export interface DenseSrelInputs extends SrelInputsBase {
  layout: 'dense';
  /** log1p(M_ij + M_ji) / max: symmetric trip flow in [0, 1], N x N (the mobility view's attention bias). */
  tripFlow: Float32Array;
  /** Mhat = M / mean(M), N x N (M: the mobility target, else the trips). */
  mobilityTarget: Float32Array;
  /** Cosine similarities of the POI (land-use) count vectors, N x N. */
  poiSimilarity: Float32Array;
  landUseSimilarity: Float32Array;
  /** A, N x N, in [0, 1]; null when the city offers no prior. */
  distancePrior: Float32Array | null;
  /** Hop distance bucket per pair (0..maxHops, maxHops + 1 = unreachable); null without adjacency. */
  hopBuckets: Int32Array | null;
}

/** Either layout; `layout` says which (sparseInputs.ts builds the sparse one). */
export type SrelInputs = DenseSrelInputs | SparseSrelInputs;

/** How large cities are made sparse. */
export interface SparseOptions {
  /** Regions each region attends to (its nearest, then the shared ones). */
  neighbours: number;
  /** Regions every region attends to (drawn once per city, seeded). */
  sharedRegions: number;
  /** Observed trips kept per row in the mobility loss. */
  positives: number;
  /** Regions drawn per row for the mobility loss's denominator. */
  negatives: number;
  /** Partners drawn per region for the similarity losses. */
  similarityPairs: number;
  /**
   * A city with more regions than this trains in mini-batches of nearby regions
   * (miniBatch.ts), so memory is bounded by the batch, not the city.
   */
  batchAbove: number;
  /** Seed regions per mini-batch (batches.ts). */
  batchRegions: number;
}

/**
 * **Our choice** (provisional, chosen on the sample cities): 32 neighbours of which 8 shared,
 * 32 kept trips and 32 drawn regions per row, 32 similarity partners per region. Mini-batches
 * of 1,024 seeds above 8,192 regions: at 10,000 regions (bench:scale, 3 epochs) batches of
 * 1,024 peaked at 0.90 GB of WASM heap and 24 CPU s per epoch, of 2,048 at 1.04 GB and 26 s,
 * the whole city at 1.9 GB and 17 to 21 s. Batches cost time (the rings' extra rows, and
 * checkpointing in every batch): at 5,000 regions an epoch took 11 s in batches of 1,024
 * against 6.9 s for the whole city (1.33 GB), so cities that fit whole train whole.
 */
export interface SparseSrelInputs extends SrelInputsBase {
  layout: 'sparse';
  /** Planar km coordinates of the centroids (N x 2), to cut compact mini-batches; null without coordinates. */
  positions: Float32Array | null;
  /** Each region's neighbourhood, itself first (intra-view and region-fusion attention). */
  neighbours: RegionNeighbours;
  /** A at the neighbour pairs (N x k); null when the city offers no prior. */
  prior: Float32Array | null;
  /** log1p(M_ij + M_ji) / max at the neighbour pairs (N x k): the mobility view's optional bias. */
  tripFlow: Float32Array;
  /** The mobility target M (the trips unless the city ships one), CSR, row = origin; and M^T. */
  mobilityTarget: SparseMatrix;
  mobilityTargetByDestination: SparseMatrix;
  /** Mhat = M scale: N^2 / sum(M) (M / mean(M) over all N^2 pairs, as the dense target). */
  mobilityScale: number;
  /** POI and land-use count vectors scaled to unit length: S_ij = unit_i . unit_j. */
  poiUnit: Float32Array;
  poiCountDim: number;
  landUseUnit: Float32Array;
  landUseCountDim: number;
  sampling: SparseOptions;
}
