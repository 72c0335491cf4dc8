import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_LOGGER, type JsonLogger } from '../ops/index.js';
import { ALERT_REPOSITORY, type AlertRepository } from './alert.repository.port.js';
import { AlertNotifier } from './alert-notifier.js';

const SWEEP_EVERY_MS = 2_000;
/** Longer than announcing a batch takes, so a live announcer keeps what it claimed. */
const LEASE_MS = 30_000;
const CLAIM_BATCH = 100;

/**
 * The outbox's relay for the changes nobody announced: every processor replica claims, every few
 * seconds, the alerts whose events are still pending ANNOUNCE_GRACE_MS after their change (the
 * process that changed them died, or announcing failed) and announces them. A claim leases the
 * alert, so one replica takes it, and one that dies mid-way loses nothing: the lease runs out.
 */
@Injectable()
export class AlertAnnouncer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    @Inject(ALERT_REPOSITORY) private readonly alerts: AlertRepository,
    @Inject(APP_LOGGER) private readonly logger: JsonLogger,
    private readonly notifier: AlertNotifier,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass: announces every claimed alert; returns how many were announced. Public for tests. */
  async tick(now = Date.now()): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    let announced = 0;
    try {
      for (;;) {
        const due = await this.alerts.claimDueAnnouncements(now, now + LEASE_MS, CLAIM_BATCH);
        for (const alert of due) {
          try {
            await this.notifier.announce(alert);
            announced++;
          } catch (err) {
            this.logger.event('warn', 'pending alert events not announced; retried when the lease ends', {
              alertId: alert.id,
              err: String(err),
            });
          }
        }
        if (due.length < CLAIM_BATCH) break;
      }
    } catch (err) {
      this.logger.event('warn', 'alert announcer pass failed', { err: String(err) });
    } finally {
      this.busy = false;
    }
    if (announced > 0) this.logger.event('info', 'announced alert events a previous attempt left pending', { alerts: announced });
    return announced;
  }
}
