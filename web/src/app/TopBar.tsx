import { logout } from '../features/session/sessionState';
import { useApp } from './context';

/** Brand, tenant, stream state, drones in view, the user, admin toggle, log out. */
export function TopBar() {
  const app = useApp();
  const me = app.me.value;
  const status = app.sync.status.value;
  const adminOpen = app.adminOpen.value;
  return (
    <header class="topbar">
      <span class="brand">
        <b>drone</b>track
      </span>
      <span class="tenant" data-testid="tenant-name">
        {me.tenantName ?? ''}
      </span>
      <span class="stream-status" role="status" data-testid="stream-status" data-state={status.state} title={status.detail}>
        {status.text}
      </span>
      <span class="map-count" data-testid="map-count">
        {`${app.sync.inView.value} in view`}
      </span>
      <span class="spacer" />
      <span class="who" data-testid="user-info">
        {me.email ? `${me.email}${me.role ? ` (${me.role})` : ''}` : ''}
      </span>
      <button
        type="button"
        class="btn"
        data-testid="admin-toggle"
        hidden={!app.isAdmin.value}
        aria-expanded={adminOpen ? 'true' : 'false'}
        onClick={() => (app.adminOpen.value = !adminOpen)}
      >
        Admin
      </button>
      <button type="button" class="btn" data-testid="logout" onClick={() => logout()}>
        Log out
      </button>
    </header>
  );
}
