import type { Language } from '@frontdesk/contracts';
import { counterNumber } from './counter-name';

/**
 * Lobby announcements: a generated two-tone chime, then the call spoken in
 * Chinese and, if the branch wants it, English. Calls queue up first-in
 * first-out and never cut each other off; each utterance waits for `onend`,
 * with a timeout because some browsers (headless ones, some TV sticks) never
 * fire it.
 */
export interface SpokenPart {
  text: string;
  lang: 'zh-CN' | 'en-US';
}

export interface Announcement {
  id: string;
  parts: SpokenPart[];
}

export function callAnnouncement(ticketNumber: string, counterName: string | null, languages: readonly Language[]): Announcement {
  const number = counterNumber(counterName);
  const parts: SpokenPart[] = [
    {
      lang: 'zh-CN',
      text: number !== null ? `请 ${ticketNumber} 号到 ${number} 号窗口` : `请 ${ticketNumber} 号到 ${counterName ?? ''}`.trim(),
    },
  ];
  if (languages.includes('en')) {
    parts.push({
      lang: 'en-US',
      text:
        number !== null ? `Ticket ${ticketNumber}, please go to counter ${number}` : `Ticket ${ticketNumber}, please go to ${counterName ?? 'the front desk'}`,
    });
  }
  return { id: `${ticketNumber}@${counterName ?? ''}`, parts };
}

/** Generous upper bound for one utterance, from its length. */
export function speechTimeoutMs(part: SpokenPart): number {
  const perChar = part.lang === 'zh-CN' ? 320 : 110;
  return Math.min(20_000, 2_500 + part.text.length * perChar);
}

const MAX_QUEUED = 20;
const GAP_BETWEEN_ANNOUNCEMENTS_MS = 700;

type Listener = () => void;

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class Announcer {
  private readonly queue: Announcement[] = [];
  private running = false;
  private context: AudioContext | null = null;
  private readonly listeners = new Set<Listener>();
  private speakingId: string | null = null;
  private disposed = false;

  /** True once audio may play: a user gesture happened or the browser allows autoplay. */
  get unlocked(): boolean {
    return this.context?.state === 'running';
  }

  get speaking(): string | null {
    return this.speakingId;
  }

  get queued(): number {
    return this.queue.length;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Without a gesture, probe whether this browser lets us play (kiosk-mode players often do). */
  async probeAutoplay(): Promise<boolean> {
    const context = this.ensureContext();
    if (!context) {
      return false;
    }
    if (context.state !== 'running') {
      await Promise.race([context.resume().catch(() => undefined), wait(300)]);
    }
    this.emit();
    return this.unlocked;
  }

  /** Call from a click/tap handler. */
  async unlock(): Promise<boolean> {
    // Everything that needs the gesture happens before the first await.
    const context = this.ensureContext();
    const resumed = context && context.state !== 'running' ? context.resume().catch(() => undefined) : Promise.resolve();
    const synth = typeof window !== 'undefined' ? window.speechSynthesis : undefined;
    if (synth) {
      // A silent utterance inside the gesture unlocks speech on Safari/iOS.
      const primer = new SpeechSynthesisUtterance(' ');
      primer.volume = 0;
      synth.speak(primer);
    }
    await resumed;
    this.emit();
    return this.unlocked;
  }

  announce(announcement: Announcement): void {
    if (this.disposed) {
      return;
    }
    if (this.queue.length >= MAX_QUEUED) {
      this.queue.shift();
    }
    this.queue.push(announcement);
    this.emit();
    void this.drain();
  }

  /** A short chime alone, for the customer's phone on the tracking page. */
  async chime(): Promise<void> {
    await this.playChime();
  }

  /** Stop speaking and release audio; `revive` makes it usable again (React remounts). */
  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    window.speechSynthesis?.cancel();
    void this.context?.close().catch(() => undefined);
    this.context = null;
    this.emit();
  }

  revive(): void {
    this.disposed = false;
  }

  private emit(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }

  private ensureContext(): AudioContext | null {
    if (this.context) {
      return this.context;
    }
    const Ctor =
      typeof window !== 'undefined'
        ? (window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext)
        : undefined;
    if (!Ctor) {
      return null;
    }
    try {
      this.context = new Ctor();
    } catch {
      this.context = null;
    }
    return this.context;
  }

  private async drain(): Promise<void> {
    if (this.running) {
      return;
    }
    this.running = true;
    try {
      let next = this.queue.shift();
      while (next && !this.disposed) {
        this.speakingId = next.id;
        this.emit();
        await this.playChime();
        for (const part of next.parts) {
          if (this.disposed) {
            break;
          }
          await this.speak(part);
        }
        this.speakingId = null;
        this.emit();
        await wait(GAP_BETWEEN_ANNOUNCEMENTS_MS);
        next = this.queue.shift();
      }
    } finally {
      this.running = false;
      this.speakingId = null;
      this.emit();
    }
  }

  /** "Ding-dong": E5 then C5, soft attack and a bell-like decay. Resolves when it is over. */
  private async playChime(): Promise<void> {
    const context = this.context;
    if (!context || context.state !== 'running') {
      return;
    }
    const notes: [frequency: number, offset: number][] = [
      [659.25, 0],
      [523.25, 0.55],
    ];
    const start = context.currentTime + 0.05;
    const master = context.createGain();
    master.gain.value = 0.5;
    master.connect(context.destination);
    for (const [frequency, offset] of notes) {
      for (const [harmonic, level] of [
        [1, 1],
        [2, 0.25],
        [3, 0.08],
      ] as const) {
        const osc = context.createOscillator();
        const gain = context.createGain();
        osc.type = 'sine';
        osc.frequency.value = frequency * harmonic;
        const t0 = start + offset;
        gain.gain.setValueAtTime(0.0001, t0);
        gain.gain.exponentialRampToValueAtTime(0.6 * level, t0 + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 1.1);
        osc.connect(gain).connect(master);
        osc.start(t0);
        osc.stop(t0 + 1.15);
      }
    }
    await wait(1_500);
    master.disconnect();
  }

  private speak(part: SpokenPart): Promise<void> {
    const synth = typeof window !== 'undefined' ? window.speechSynthesis : undefined;
    if (!synth || !this.unlocked) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let settled = false;
      const utterance = new SpeechSynthesisUtterance(part.text);
      utterance.lang = part.lang;
      utterance.rate = part.lang === 'zh-CN' ? 0.9 : 0.95;
      const voice = pickVoice(synth.getVoices(), part.lang);
      if (voice) {
        utterance.voice = voice;
      }
      const finish = () => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(timer);
        resolve();
      };
      // Declared before any handler can run; `finish` only reads it when called.
      const timer = setTimeout(() => {
        // onend never came: clear the stuck utterance so the next one can start.
        synth.cancel();
        finish();
      }, speechTimeoutMs(part));
      utterance.onend = finish;
      utterance.onerror = finish;
      synth.speak(utterance);
    });
  }
}

function pickVoice(voices: SpeechSynthesisVoice[], lang: string): SpeechSynthesisVoice | null {
  const wanted = lang.toLowerCase();
  const prefix = wanted.slice(0, 2);
  const normalised = voices.map((voice) => ({ voice, lang: voice.lang.replace('_', '-').toLowerCase() }));
  return normalised.find((v) => v.lang === wanted)?.voice ?? normalised.find((v) => v.lang.startsWith(prefix))?.voice ?? null;
}
