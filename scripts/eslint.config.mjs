// Linted as code that is never published: see ../eslint.dev.config.mjs.
export { default } from '../eslint.dev.config.mjs';
