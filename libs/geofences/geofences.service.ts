import { Inject, Injectable } from '@nestjs/common';
import { AlertNotifier } from '../alerts/alert-notifier.js';
import { ALERT_REPOSITORY, type AlertRepository } from '../alerts/alert.repository.port.js';
import { ConflictError, newId } from '../core/index.js';
import { ROLE_EVENTS, type RoleEvents } from '../events/index.js';
import { IDENTITY_REPOSITORY, type IdentityRepository } from '../store/index.js';
import { badRequest, notFound } from '../ops/http-errors.js';
import { MAX_GEOFENCES_PER_TENANT, type Geofence } from './geofence.js';
import { bandProblem, validateGeofenceBody, type GeofenceFields } from './geofence-body.validator.js';
import { appliesTo } from './geofence-index.js';
import { GEOFENCE_REPOSITORY, type GeofencePage, type GeofenceRepository } from './geofence.repository.port.js';

/**
 * Geofence CRUD for the web role. Every change tells the processors (role event) to rebuild the
 * tenant's index, and resolves the open alerts of a geofence that no longer applies.
 */
@Injectable()
export class GeofencesService {
  constructor(
    @Inject(GEOFENCE_REPOSITORY) private readonly repo: GeofenceRepository,
    @Inject(ALERT_REPOSITORY) private readonly alerts: AlertRepository,
    @Inject(IDENTITY_REPOSITORY) private readonly identity: IdentityRepository,
    @Inject(ROLE_EVENTS) private readonly events: RoleEvents,
    private readonly notifier: AlertNotifier,
  ) {}

  async create(tenantId: string, body: unknown): Promise<Geofence> {
    const fields = this.fieldsOf(body, 'create');
    const problem = bandProblem(fields.floor ?? null, fields.ceiling ?? null);
    if (problem) throw badRequest(problem);
    await this.checkDrones(tenantId, fields.droneIds);
    if ((await this.repo.count(tenantId)) >= MAX_GEOFENCES_PER_TENANT) {
      throw new ConflictError(`a tenant holds at most ${MAX_GEOFENCES_PER_TENANT} geofences; delete one first`);
    }
    const now = Date.now();
    const geofence: Geofence = {
      id: newId(),
      tenantId,
      name: fields.name!,
      rule: fields.rule!,
      geometry: fields.geometry!,
      floor: fields.floor ?? null,
      ceiling: fields.ceiling ?? null,
      altitudeReference: fields.altitudeReference ?? 'agl',
      droneIds: fields.droneIds ?? null,
      active: fields.active ?? true,
      createdAt: now,
      updatedAt: now,
    };
    await this.repo.create(geofence);
    await this.changed(tenantId);
    return geofence;
  }

  list(tenantId: string, limit: number, after?: { createdAt: number; id: string }): Promise<GeofencePage> {
    return this.repo.list(tenantId, limit, after);
  }

  async get(tenantId: string, id: string): Promise<Geofence> {
    const g = await this.repo.find(tenantId, id);
    if (!g) throw notFound('geofence');
    return g;
  }

  async update(tenantId: string, id: string, body: unknown): Promise<Geofence> {
    const fields = this.fieldsOf(body, 'patch');
    const current = await this.get(tenantId, id);
    const next: Geofence = { ...current, ...fields, updatedAt: Math.max(Date.now(), current.updatedAt + 1) };
    const problem = bandProblem(next.floor, next.ceiling);
    if (problem) throw badRequest(problem);
    if (fields.droneIds !== undefined) await this.checkDrones(tenantId, fields.droneIds);
    if (!(await this.repo.update(next))) throw notFound('geofence');
    await this.changed(tenantId);
    await this.resolveAlerts(next, (droneId) => !next.active || !appliesTo(next, droneId));
    return next;
  }

  async delete(tenantId: string, id: string): Promise<void> {
    const current = await this.get(tenantId, id);
    if (!(await this.repo.delete(tenantId, id))) throw notFound('geofence');
    await this.changed(tenantId);
    await this.resolveAlerts(current, () => true);
  }

  private fieldsOf(body: unknown, mode: 'create' | 'patch'): GeofenceFields {
    const result = validateGeofenceBody(body, mode);
    if ('problems' in result) throw badRequest(result.problems);
    return result.fields;
  }

  /** droneIds must name live drones of this tenant; a foreign or unknown id is a 400 (never a 404). */
  private async checkDrones(tenantId: string, droneIds: string[] | null | undefined): Promise<void> {
    if (!droneIds) return;
    const live = await this.identity.droneNames(tenantId, droneIds);
    const unknown = droneIds.filter((id) => !live.has(id));
    if (unknown.length > 0) throw badRequest(`droneIds must name drones of this tenant; unknown: ${unknown.slice(0, 10).join(', ')}`);
  }

  private async changed(tenantId: string): Promise<void> {
    await this.events.publish({ type: 'geofences.changed', tenantId });
  }

  private async resolveAlerts(fence: Geofence, ends: (droneId: string) => boolean): Promise<void> {
    for (const alert of await this.alerts.findOpenOfGeofence(fence.tenantId, fence.id)) {
      if (!ends(alert.droneId)) continue;
      const resolved = await this.alerts.resolve(fence.tenantId, alert.id, Date.now());
      if (resolved) await this.notifier.changed('alert.resolved', resolved);
    }
  }
}
