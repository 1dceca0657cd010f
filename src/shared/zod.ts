// The one door to zod for both bundles: `zod/mini`, the functional API (`z.optional(x)`,
// `x.check(z.minLength(1))`), which tree-shakes to what the schemas use (about 20 KiB where the
// classic API costs about 100 KiB in each bundle). zod/mini ships without error messages, so every
// issue would read "Invalid input": the English messages are switched on here, once, for every
// schema in the process (users and the model read them: "path: Too small: expected string to have
// >=1 characters"). Import as `import * as z from '../shared/zod'`; lint refuses `zod` directly.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
