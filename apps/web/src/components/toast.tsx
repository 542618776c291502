import { useCallback, useEffect, useState, type ReactElement } from 'react';

/** A short confirmation at the bottom of the screen ("Nobody is waiting"). */
export function useToast(durationMs = 3000): [ReactElement | null, (message: string) => void] {
  const [message, setMessage] = useState<{ text: string; key: number } | null>(null);
  useEffect(() => {
    if (!message) {
      return;
    }
    const timer = setTimeout(() => setMessage(null), durationMs);
    return () => clearTimeout(timer);
  }, [message, durationMs]);
  const show = useCallback((text: string) => setMessage({ text, key: Date.now() }), []);
  const node = message ? (
    <div className="toast" role="status" key={message.key}>
      {message.text}
    </div>
  ) : null;
  return [node, show];
}
