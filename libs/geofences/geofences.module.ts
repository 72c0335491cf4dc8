import { Module } from '@nestjs/common';
import { AlertNotifierModule } from '../alerts/alert-notifier.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { GeofencesHttpController } from './geofences.http.controller.js';
import { GeofencesService } from './geofences.service.js';

/** Web role: geofence CRUD. */
@Module({ imports: [IdentityModule, AlertNotifierModule], controllers: [GeofencesHttpController], providers: [GeofencesService] })
export class GeofencesModule {}
