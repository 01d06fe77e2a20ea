/// <reference lib="webworker" />
/**
 * Tests one map layer for spatial clustering off the main thread: Moran's I with 999
 * permutations and the LISA map's conditional permutations are about 25 million draws at 2,000
 * regions, ten times that at 20,000, which would freeze the map.
 */
import { layerPattern } from '../core/spatial/moran';
import type { SpatialJobs } from './protocol';
import { serveJobs } from './serve';

serveJobs<SpatialJobs>(({ city, values, weights }) => layerPattern(city, values, weights ? { weights } : {}));
