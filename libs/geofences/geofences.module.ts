import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/index.js';
import { GeofencesHttpController } from './geofences.http.controller.js';
import { GeofencesService } from './geofences.service.js';

/** Web role: geofence CRUD. GEOFENCE_CHANGE_HOOK comes from the composition root. */
@Module({ imports: [IdentityModule], controllers: [GeofencesHttpController], providers: [GeofencesService] })
export class GeofencesModule {}
