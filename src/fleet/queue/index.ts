export { FLEET_QUEUE_NAME, DEFAULT_CONNECT_TIMEOUT } from './connection';
export { fleetJobId } from './job-id';
export { parseQueueUrl, QueueUrl } from './queue-url';
export { runFleetOnQueue, FleetQueueRunOptions } from './run-on-queue';
export { runFleetWorker, FleetWorkerOptions, FleetProcessor } from './worker';
