// The classic-script build of the element (`<script src=".../latch-element.js">`, no module
// needed): pkg/latch-login.js's `window.Latch` and the `<latch-login>` element in one script.
import { Latch } from './latch-login.mjs';
import './element.mjs';

globalThis.Latch = Latch;
