// The login paths (tests/e2e/engines/paths.mjs) in chromium.
import { loginPaths } from './engines/paths.mjs';

loginPaths('chromium');
