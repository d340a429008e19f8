// The classic-script build (`<script src=".../latch-login.js">`, no module needed, as Lock's
// CDN build allows): the ES module bundled into one script that defines `window.Latch`.
import { Latch } from './latch-login.mjs';

globalThis.Latch = Latch;
