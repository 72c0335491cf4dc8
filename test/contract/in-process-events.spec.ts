import { InProcessRoleEvents } from '../../libs/events/adapters/index.js';
import { eventsContract } from './events.contract.js';

eventsContract('in process', () => {
  const bus = new InProcessRoleEvents();
  return { open: async () => bus };
});
