export * from './kpi-status';
export * from './staffing';
export * from './replay';
