import en from '../../i18n/en.json';
import zh from '../../i18n/zh.json';
import { AUDIT_ROUTE_LABELS, auditRouteLabelKey } from './audit-routes';

type Labels = { admin: { audit: { routes: Record<string, string> } } };

describe('audit route labels', () => {
  it('every audited route has a label in English and Chinese', () => {
    for (const key of Object.values(AUDIT_ROUTE_LABELS)) {
      expect((en as Labels).admin.audit.routes[key]).toEqual(expect.any(String));
      expect((zh as Labels).admin.audit.routes[key]).toEqual(expect.any(String));
    }
    // Labels tell routes apart: two routes never read the same to an admin.
    expect(new Set(Object.values((en as Labels).admin.audit.routes)).size).toBe(Object.keys(AUDIT_ROUTE_LABELS).length);
    expect(new Set(Object.values((zh as Labels).admin.audit.routes)).size).toBe(Object.keys(AUDIT_ROUTE_LABELS).length);
  });

  it('an unknown route has no label (the raw route is shown)', () => {
    expect(auditRouteLabelKey('GET /api/branches/:branchId/tickets')).toBeNull();
    expect(auditRouteLabelKey('GET /api/callbacks')).toBe('admin.audit.routes.callbackList');
  });
});
