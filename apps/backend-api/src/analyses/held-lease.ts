import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { ObjectId } from 'mongodb';
import type { AnalysesRepository } from './analyses-repository';

/** A lease token: the instance, then a nonce per claim, so two claims by one instance never share a token. */
export const newLeaseToken = (instanceId: string) => `${instanceId}/${randomUUID().slice(0, 8)}`;

export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

/**
 * The holder's side of a lease: renews it every third of its length while the work runs, and aborts `signal`
 * once a renewal finds it gone (swept after a stall, taken over), so the pose-service call stops instead of
 * running beside the next holder's. A renewal that fails because the database is down is retried at the next
 * beat: the lease may still be valid, and the result write is fenced by the token either way.
 */
export class HeldLease {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly repository: AnalysesRepository,
    private readonly id: ObjectId,
    readonly token: string,
    leaseMs: number,
    log: FastifyBaseLogger,
  ) {
    this.timer = setInterval(() => {
      this.repository
        .extendLease(this.id, this.token, new Date(Date.now() + leaseMs))
        .then((isHeld) => {
          if (!isHeld) this.controller.abort(new LeaseLostError(`the lease on analysis ${this.id.toHexString()} was lost`));
        })
        .catch((error) => log.warn({ err: error, analysisId: this.id.toHexString() }, 'lease renewal failed'));
    }, Math.max(50, Math.floor(leaseMs / 3)));
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get isLost(): boolean {
    return this.controller.signal.aborted;
  }

  release(): void {
    clearInterval(this.timer);
  }
}
