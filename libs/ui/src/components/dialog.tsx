import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface DialogProps {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  actions?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
}

/**
 * Modal built on <dialog>: the browser provides the focus trap, Escape and the
 * inert background; it is portalled to <body> so screen layouts cannot clip it.
 */
export function Dialog({ open, title, onClose, children, actions, size = 'md' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) {
      return;
    }
    if (open && !dialog.open) {
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) {
      return;
    }
    const handleCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', handleCancel);
    return () => dialog.removeEventListener('cancel', handleCancel);
  }, []);

  return createPortal(
    <dialog ref={ref} className={`fd-dialog fd-dialog--${size}`} aria-labelledby={titleId}>
      {open && (
        <div className="fd-dialog__panel">
          <header className="fd-dialog__header">
            <h2 id={titleId} className="fd-dialog__title">
              {title}
            </h2>
            <button type="button" className="fd-dialog__close" onClick={onClose} aria-label="Close / 关闭">
              ×
            </button>
          </header>
          <div className="fd-dialog__body">{children}</div>
          {actions && <footer className="fd-dialog__actions">{actions}</footer>}
        </div>
      )}
    </dialog>,
    document.body,
  );
}
