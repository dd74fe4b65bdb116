import type { FastifyBaseLogger } from 'fastify';
import type { AnalysesRepository } from '../analyses/analyses-repository';
import { isMongoOverloaded, isMongoUnavailable } from '../errors/to-api-error';

export interface LeaseSweeperOptions {
  sweepMs: number;
  leaseMs: number;
  maxClaims: number;
}

/**
 * Runs in every API instance (job worker or not), so an analysis whose holder died is never left `running`
 * longer than its lease plus one sweep interval. The updates are conditional, so instances sweeping at once is
 * harmless.
 */
export class LeaseSweeper {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;

  constructor(
    private readonly repository: AnalysesRepository,
    private readonly log: FastifyBaseLogger,
    private readonly options: LeaseSweeperOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.current ??= this.sweep().finally(() => (this.current = undefined));
    }, this.options.sweepMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.current;
  }

  /** One sweep; errors are logged, never thrown (the next interval tries again). Exposed for tests. */
  async sweep(): Promise<void> {
    try {
      const result = await this.repository.sweepExpiredLeases(new Date(), this.options.maxClaims, this.options.leaseMs);
      if (result.imagesFailed + result.videosRequeued + result.videosAbandoned > 0) this.log.warn(result, 'swept expired leases');
    } catch (error) {
      this.log[isMongoUnavailable(error) || isMongoOverloaded(error) ? 'debug' : 'error']({ err: error }, 'lease sweep failed');
    }
  }
}
