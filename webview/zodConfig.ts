// Imported first by main.ts, before any schema is built. zod compiles fast parsers with
// new Function() when it can and probes for it while constructing object schemas; the webview's CSP
// has no 'unsafe-eval', so even the caught probe is reported as a CSP violation. The interpreted
// parsers are fast enough for our message sizes.
import * as z from '../src/shared/zod';

z.config({ jitless: true });
