import { request } from '../../api/client';
import type { Alert, Page } from '../../types';

export interface AlertFilter {
  state: 'open' | 'resolved' | 'all';
  type?: string;
  droneId?: string;
}

export const alertsApi = {
  list: (f: AlertFilter, limit = 200) => {
    const q = new URLSearchParams({ state: f.state, limit: String(limit) });
    if (f.type) q.set('type', f.type);
    if (f.droneId) q.set('droneId', f.droneId);
    return request<Page<Alert>>(`alerts?${q}`);
  },
  ack: (id: string) => request<Alert>(`alerts/${encodeURIComponent(id)}/ack`, { method: 'POST' }),
};
