// latchkey on NestJS 12 (Express platform), on the example-app contract: `npm run example -- nest`
// (build.js compiles src/ first). The app is in src/: main.ts, app.module.ts, app.controller.ts.
await import('./dist/nest/src/main.js')
