// The login paths (tests/e2e/engines/paths.mjs) in webkit.
import { loginPaths } from './engines/paths.mjs';

loginPaths('webkit');
