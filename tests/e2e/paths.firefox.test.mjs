// The login paths (tests/e2e/engines/paths.mjs) in firefox.
import { loginPaths } from './engines/paths.mjs';

loginPaths('firefox');
