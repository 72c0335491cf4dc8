import { useEffect, useState } from 'preact/hooks';
import { AdminPanel } from '../features/admin/AdminPanel';
import { AlertsPanel } from '../features/alerts/AlertsPanel';
import { DetailPanel } from '../features/detail/DetailPanel';
import { DroneList } from '../features/drones/DroneList';
import { FlightsPanel } from '../features/flights/FlightsPanel';
import { GeofencePanel } from '../features/geofences/GeofencePanel';
import { MapView } from '../features/map/MapView';
import type { SignedIn } from '../features/session/sessionState';
import { setPerfTarget } from '../perf';
import { AppContext } from './context';
import { LiveApp } from './liveApp';
import { TopBar } from './TopBar';

/** The signed-in application: header, drone list, live map with its panels, alerts and geofences. */
export function App({ signedIn }: { signedIn: SignedIn }) {
  const [app] = useState(() => new LiveApp(signedIn.config, signedIn.fallbackMe));
  useEffect(() => {
    setPerfTarget(app);
    return () => {
      setPerfTarget(null);
      app.destroy();
    };
  }, [app]);
  return (
    <AppContext.Provider value={app}>
      <div class="shell">
        <TopBar />
        <div class="body">
          <DroneList />
          <MapView>
            <DetailPanel />
            <AdminPanel />
            <FlightsPanel />
          </MapView>
          <aside class="ops-panels" data-testid="ops-panels">
            <AlertsPanel />
            <GeofencePanel />
          </aside>
        </div>
      </div>
    </AppContext.Provider>
  );
}
