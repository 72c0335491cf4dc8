import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, newId, InvalidInputError, NotFoundError } from '../core/index.js';
import { ROLE_EVENTS, type RoleEvents } from '../events/index.js';
import type { GeofencesChanged } from './geofences.events.js';
import { IDENTITY_REPOSITORY, type IdentityRepository } from '../store/index.js';
import { MAX_GEOFENCES_PER_TENANT, type Geofence } from './geofence.js';
import { bandProblem, validateGeofenceBody, type GeofenceFields } from './geofence-body.validator.js';
import { GEOFENCE_CHANGE_HOOK, type GeofenceChangeHook } from './geofence-change-hook.port.js';
import { GEOFENCE_REPOSITORY, type GeofencePage, type GeofenceRepository } from './geofence.repository.port.js';

/**
 * Geofence CRUD for the web role. Every change tells the processors (role event) to rebuild the
 * tenant's index, and the change hook lets what depends on a geofence follow (its open alerts).
 */
@Injectable()
export class GeofencesService {
  constructor(
    @Inject(GEOFENCE_REPOSITORY) private readonly repo: GeofenceRepository,
    @Inject(IDENTITY_REPOSITORY) private readonly identity: IdentityRepository,
    @Inject(ROLE_EVENTS) private readonly events: RoleEvents,
    @Inject(GEOFENCE_CHANGE_HOOK) private readonly hook: GeofenceChangeHook,
  ) {}

  async create(tenantId: string, body: unknown): Promise<Geofence> {
    const fields = this.fieldsOf(body, 'create');
    const problem = bandProblem(fields.floor ?? null, fields.ceiling ?? null);
    if (problem) throw new InvalidInputError(problem);
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
    if (!g) throw new NotFoundError('geofence');
    return g;
  }

  async update(tenantId: string, id: string, body: unknown): Promise<Geofence> {
    const fields = this.fieldsOf(body, 'patch');
    const current = await this.get(tenantId, id);
    const next: Geofence = { ...current, ...fields, updatedAt: Math.max(Date.now(), current.updatedAt + 1) };
    const problem = bandProblem(next.floor, next.ceiling);
    if (problem) throw new InvalidInputError(problem);
    if (fields.droneIds !== undefined) await this.checkDrones(tenantId, fields.droneIds);
    if (!(await this.repo.update(next))) throw new NotFoundError('geofence');
    await this.changed(tenantId);
    await this.hook.changed(current, next);
    return next;
  }

  async delete(tenantId: string, id: string): Promise<void> {
    const current = await this.get(tenantId, id);
    if (!(await this.repo.delete(tenantId, id))) throw new NotFoundError('geofence');
    await this.changed(tenantId);
    await this.hook.changed(current, null);
  }

  private fieldsOf(body: unknown, mode: 'create' | 'patch'): GeofenceFields {
    const result = validateGeofenceBody(body, mode);
    if ('problems' in result) throw new InvalidInputError(result.problems);
    return result.fields;
  }

  /** droneIds must name live drones of this tenant; a foreign or unknown id is a 400 (never a 404). */
  private async checkDrones(tenantId: string, droneIds: string[] | null | undefined): Promise<void> {
    if (!droneIds) return;
    const live = await this.identity.droneNames(tenantId, droneIds);
    const unknown = droneIds.filter((id) => !live.has(id));
    if (unknown.length > 0)
      throw new InvalidInputError(`droneIds must name drones of this tenant; unknown: ${unknown.slice(0, 10).join(', ')}`);
  }

  private async changed(tenantId: string): Promise<void> {
    await this.events.publish<GeofencesChanged>({ type: 'geofences.changed', tenantId });
  }
}
