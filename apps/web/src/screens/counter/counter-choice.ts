/** The console remembers which branch and counter this desk is, across reloads. */
const KEY = 'frontdesk.counterChoice';

export interface CounterChoice {
  branchId: string;
  counterId: string | null;
}

export function loadCounterChoice(): CounterChoice | null {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (!raw) {
      return null;
    }
    const parsed = JSON.parse(raw) as Partial<CounterChoice>;
    return typeof parsed.branchId === 'string' ? { branchId: parsed.branchId, counterId: parsed.counterId ?? null } : null;
  } catch {
    return null;
  }
}

export function saveCounterChoice(choice: CounterChoice | null): void {
  try {
    if (choice) {
      window.localStorage.setItem(KEY, JSON.stringify(choice));
    } else {
      window.localStorage.removeItem(KEY);
    }
  } catch {
    // Without storage the desk asks again next time.
  }
}
