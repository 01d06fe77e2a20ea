/** A real Redis for the queue's tests (see src/cli/redisServer.ts); they skip, saying why, without one. */
import { REDIS_MISSING, REDIS_SERVER } from '../cli/redisServer';

export { REDIS_SERVER, startRedis, type RunningRedis } from '../cli/redisServer';

export const REDIS_SKIP_REASON = `${REDIS_MISSING}: skipped`;

if (!REDIS_SERVER) console.warn(REDIS_SKIP_REASON);
