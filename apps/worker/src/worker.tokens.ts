export const WORKER_REDIS = Symbol('WORKER_REDIS');
export const JOB_REGISTRY = Symbol('JOB_REGISTRY');
export const BULL_CONNECTION = Symbol('BULL_CONNECTION');
