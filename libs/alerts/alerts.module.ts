import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/index.js';
import { AlertNotifierModule } from './alert-notifier.module.js';
import { AlertsHttpController } from './alerts.http.controller.js';
import { AlertsService } from './alerts.service.js';

/** Web role: list, read and acknowledge alerts. */
@Module({ imports: [IdentityModule, AlertNotifierModule], controllers: [AlertsHttpController], providers: [AlertsService] })
export class AlertsModule {}
