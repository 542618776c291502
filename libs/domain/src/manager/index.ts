export * from './kpi-status';
export * from './staffing';
