import { useEffect, useState } from 'preact/hooks';
import type { User } from '../../types';
import { showAlert } from '../../ui/toasts';
import { adminErrorText } from './RegisterDroneForm';
import { usersApi } from './usersApi';

/** The tenant's users (loaded each time the panel opens) and the form to add one. */
export function UsersSection({ open }: { open: boolean }) {
  const [users, setUsers] = useState<User[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    let current = true;
    setNote('Loading users…');
    usersApi.list().then(
      ({ items }) => {
        if (!current) return;
        setUsers(items);
        setNote(items.length ? '' : 'No users yet.');
      },
      (err) => current && setNote(`Could not load the users: ${adminErrorText(err)}`),
    );
    return () => {
      current = false;
    };
  }, [open]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const password = String(data.get('password') ?? '');
    if (password.length < 8) return showAlert('The password needs at least 8 characters.');
    setBusy(true);
    try {
      const u = await usersApi.add({ email: String(data.get('email') ?? '').trim(), password, role: String(data.get('role') ?? 'viewer') });
      form.reset();
      setUsers((list) => [...list, u]);
      setNote('');
      showAlert(`User ${u.email} added as ${u.role}.`, 'success');
    } catch (err) {
      showAlert(`Could not add the user: ${adminErrorText(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h3>Users</h3>
      <table class="users" data-testid="users-list">
        <thead>
          <tr>
            <th>Email</th>
            <th>Role</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-user-id={u.id}>
              <td>{u.email}</td>
              <td>{u.role}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">{note}</p>
      <form class="admin-form" data-testid="add-user" aria-label="Add a user" onSubmit={submit}>
        <label class="field">
          <span>Email</span>
          <input name="email" type="email" required autocomplete="off" data-testid="user-email" />
        </label>
        <label class="field">
          <span>Password (8+ characters)</span>
          <input
            name="password"
            type="password"
            required
            minLength={8}
            maxLength={200}
            autocomplete="new-password"
            data-testid="user-password"
          />
        </label>
        <label class="field">
          <span>Role</span>
          <select name="role" data-testid="user-role">
            <option value="viewer">viewer</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="submit" class="btn btn-primary" data-testid="add-user-submit" disabled={busy}>
          Add user
        </button>
      </form>
    </>
  );
}
