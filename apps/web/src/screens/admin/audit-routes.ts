/**
 * What each audited route means to an admin, as an i18n key under `admin.audit.routes` (the routes are written by the
 * API's CustomerAuditService callers). A route missing here is shown as its raw `METHOD /path` only.
 */
export type AuditRouteKey =
  'repairIntake' | 'repairOpened' | 'repairSearchByPhone' | 'customerByPhone' | 'hotlineBoard' | 'callbackList' | 'callbackScheduled' | 'callbackOutcome';

export const AUDIT_ROUTE_LABELS: Record<string, AuditRouteKey> = {
  'POST /api/branches/:branchId/repairs': 'repairIntake',
  'GET /api/repairs/:id': 'repairOpened',
  'GET /api/repairs?q': 'repairSearchByPhone',
  'GET /api/customers/by-phone': 'customerByPhone',
  'GET /api/branches/:branchId/hotline/board': 'hotlineBoard',
  'GET /api/callbacks': 'callbackList',
  'POST /api/callbacks': 'callbackScheduled',
  'POST /api/callbacks/:id/complete': 'callbackOutcome',
};

export function auditRouteLabelKey(route: string): `admin.audit.routes.${AuditRouteKey}` | null {
  const key: AuditRouteKey | undefined = AUDIT_ROUTE_LABELS[route];
  return key ? `admin.audit.routes.${key}` : null;
}
