// Types of latch-login/element (pkg/element.mjs): the `<latch-login>` element.
import type { Latch, LatchEvents, LatchOptions, ShowOptions } from './latch-login.js';

/** The element's events: the widget's own, by the same names, as CustomEvents whose
 *  `detail` is the payload `latch.on(name, ...)` would hear. */
export type LatchLoginEventMap = { [E in keyof LatchEvents]: CustomEvent<LatchEvents[E]> };

/**
 * `<latch-login client-id domain redirect-url connections language theme-color inline>`:
 * one widget in its place (`inline`), else a modal shown by `show()`. Attributes win over
 * the same options in `options`; an attribute changed, or `options` set, makes the widget
 * again; removed from the document, its panel and listeners go.
 */
export declare class LatchLoginElement extends HTMLElement {
  static readonly observedAttributes: string[];
  /** Every option of `new Latch` that has no attribute. */
  options: LatchOptions;
  /** The widget the element shows now; null while it is not in a document. */
  readonly latch: Latch | null;
  show(options?: ShowOptions): void;
  hide(): void;
  addEventListener<E extends keyof LatchLoginEventMap>(type: E, listener: (this: LatchLoginElement, event: LatchLoginEventMap[E]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: HTMLElement, event: HTMLElementEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<E extends keyof LatchLoginEventMap>(type: E, listener: (this: LatchLoginElement, event: LatchLoginEventMap[E]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: HTMLElement, event: HTMLElementEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'latch-login': LatchLoginElement;
  }
}
