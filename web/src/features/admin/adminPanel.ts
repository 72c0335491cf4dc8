import { api, ApiError } from '../../api/client';
import { h, showAlert } from '../../ui/dom';
import { showDeviceKey } from '../../ui/dialogs';
import type { Drone, User } from '../../types/drone';

export interface AdminHooks {
  onDroneRegistered: (d: Drone) => void;
}

function field(label: string, input: HTMLInputElement | HTMLSelectElement): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

function errText(e: unknown): string {
  return e instanceof ApiError ? e.message : 'Something went wrong; try again.';
}

/** Tenant admin controls (data-testid="admin-panel"): register drones, list and add users. */
export class AdminPanel {
  readonly el: HTMLElement;
  private readonly usersBody: HTMLElement;
  private readonly usersState: HTMLElement;

  constructor(private readonly hooks: AdminHooks) {
    // Register a drone
    const name = h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off', 'data-testid': 'register-name' });
    const serial = h('input', { name: 'serialNumber', autocomplete: 'off', 'data-testid': 'register-serial' });
    const model = h('input', { name: 'model', autocomplete: 'off', 'data-testid': 'register-model' });
    const regBtn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'register-submit' }, 'Register drone');
    const regForm = h(
      'form',
      { class: 'admin-form', 'data-testid': 'register-drone', 'aria-label': 'Register a drone' },
      field('Name', name),
      field('Serial number (optional)', serial),
      field('Model (optional)', model),
      regBtn,
    );
    regForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body: { name: string; serialNumber?: string; model?: string } = { name: name.value.trim() };
      if (!body.name) return showAlert('Give the drone a name (1 to 100 characters).');
      if (serial.value.trim()) body.serialNumber = serial.value.trim();
      if (model.value.trim()) body.model = model.value.trim();
      regBtn.disabled = true;
      try {
        const created = await api.registerDrone(body);
        regForm.reset();
        const { deviceKey, ...drone } = created;
        this.hooks.onDroneRegistered({ ...drone, state: drone.state ?? null });
        showAlert(`Drone “${drone.name}” registered.`, 'success');
        await showDeviceKey('Drone registered', drone.name, deviceKey);
      } catch (err) {
        showAlert(`Could not register the drone: ${errText(err)}`);
      } finally {
        regBtn.disabled = false;
      }
    });

    // Users
    const email = h('input', { name: 'email', type: 'email', required: true, autocomplete: 'off', 'data-testid': 'user-email' });
    const password = h('input', { name: 'password', type: 'password', required: true, minlength: 8, maxlength: 200, autocomplete: 'new-password', 'data-testid': 'user-password' });
    const role = h('select', { name: 'role', 'data-testid': 'user-role' }, h('option', { value: 'viewer' }, 'viewer'), h('option', { value: 'admin' }, 'admin'));
    const userBtn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'add-user-submit' }, 'Add user');
    const userForm = h('form', { class: 'admin-form', 'data-testid': 'add-user', 'aria-label': 'Add a user' }, field('Email', email), field('Password (8+ characters)', password), field('Role', role), userBtn);
    userForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (password.value.length < 8) return showAlert('The password needs at least 8 characters.');
      userBtn.disabled = true;
      try {
        const u = await api.addUser({ email: email.value.trim(), password: password.value, role: role.value });
        userForm.reset();
        this.addUserRow(u);
        showAlert(`User ${u.email} added as ${u.role}.`, 'success');
      } catch (err) {
        showAlert(`Could not add the user: ${errText(err)}`);
      } finally {
        userBtn.disabled = false;
      }
    });
    this.usersBody = h('tbody');
    this.usersState = h('p', { class: 'muted' });

    this.el = h(
      'section',
      { class: 'admin', 'data-testid': 'admin-panel', 'aria-label': 'Tenant administration', hidden: true },
      h('h2', {}, 'Administration'),
      h('h3', {}, 'Register a drone'),
      h('p', { class: 'muted' }, 'The drone’s device key is shown once, right after registration. To rotate a key or delete a drone, select it in the list.'),
      regForm,
      h('h3', {}, 'Users'),
      h('table', { class: 'users', 'data-testid': 'users-list' }, h('thead', {}, h('tr', {}, h('th', {}, 'Email'), h('th', {}, 'Role'))), this.usersBody),
      this.usersState,
      userForm,
    );
  }

  private addUserRow(u: User): void {
    this.usersBody.append(h('tr', { 'data-user-id': u.id }, h('td', {}, u.email), h('td', {}, u.role)));
    this.usersState.textContent = '';
  }

  async loadUsers(): Promise<void> {
    this.usersState.textContent = 'Loading users…';
    try {
      const { items } = await api.users();
      this.usersBody.replaceChildren();
      for (const u of items) this.addUserRow(u);
      this.usersState.textContent = items.length ? '' : 'No users yet.';
    } catch (err) {
      this.usersState.textContent = `Could not load the users: ${errText(err)}`;
    }
  }

  toggle(show?: boolean): boolean {
    const visible = show ?? this.el.hidden !== false;
    this.el.hidden = !visible;
    if (visible) void this.loadUsers();
    return visible;
  }
}
