import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { BranchDto, Role, TicketDto } from '@frontdesk/contracts';
import { Button } from '@frontdesk/ui';
import { useToast } from '../../components/toast';
import type { ApiClient } from '../../lib/api-client';
import { RepairIntake } from './repair-intake';
import { RepairPickup } from './repair-pickup';
import './counter-repairs.css';

interface CounterRepairsProps {
  branch: BranchDto;
  api: ApiClient;
  /** The ticket at this counter, if any: a new order links to it. */
  ticket: TicketDto | null;
  role: Role | null;
}

/** The repair side of the counter: open an order for the customer at the desk, or hand a device back. */
export function CounterRepairs({ branch, api, ticket, role }: CounterRepairsProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'intake' | 'pickup' | null>(null);
  const [toast, showToast] = useToast(4000);
  // Intake belongs to the customer being served; an order opened without a ticket is allowed too.
  const forTicket = ticket && (ticket.status === 'serving' || ticket.status === 'called') ? ticket : null;
  // A kiosk fast-lane ticket carries its order: the pickup panel opens on it as soon as the ticket is called here,
  // once per ticket, so closing the panel is respected.
  const linked = forTicket?.repairId && forTicket.repairOrderNo ? { id: forTicket.repairId, orderNo: forTicket.repairOrderNo } : null;
  const [autoOpenedFor, setAutoOpenedFor] = useState<string | null>(null);
  const autoOpenTicket = forTicket && linked ? forTicket.id : null;
  useEffect(() => {
    if (autoOpenTicket && autoOpenedFor !== autoOpenTicket) {
      setAutoOpenedFor(autoOpenTicket);
      setOpen('pickup');
    }
  }, [autoOpenTicket, autoOpenedFor]);
  return (
    <section className="counter-repairs" aria-label={t('repairs.board.title')}>
      <Button variant={forTicket ? 'primary' : 'secondary'} onClick={() => setOpen('intake')} data-testid="open-intake">
        {t('repairs.intake.open')}
        {forTicket ? ` · ${forTicket.number}` : ''}
      </Button>
      <Button variant={linked ? 'primary' : 'secondary'} onClick={() => setOpen('pickup')} data-testid="open-pickup">
        {t('repairs.pickup.open')}
        {linked ? ` · ${linked.orderNo}` : ''}
      </Button>
      <Link className="fd-btn fd-btn--ghost fd-btn--md" to="/repairs">
        {t('repairs.board.title')} →
      </Link>
      <RepairIntake
        open={open === 'intake'}
        branch={branch}
        api={api}
        ticket={forTicket}
        onClose={() => setOpen(null)}
        onCreated={(repair) => showToast(t('repairs.intake.created', { orderNo: repair.orderNo }))}
      />
      <RepairPickup open={open === 'pickup'} branch={branch} api={api} role={role} repair={linked} onClose={() => setOpen(null)} onDone={showToast} />
      {toast}
    </section>
  );
}
