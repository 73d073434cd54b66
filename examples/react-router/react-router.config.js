// React Router framework mode, server-rendered; `node examples/react-router/build.js` builds it into build/.
export default {
  ssr: true,
  // React Router 8's behaviour, opted into as a new app would (and without the build's warnings).
  future: {
    v8_middleware: true,
    v8_splitRouteModules: true,
    v8_viteEnvironmentApi: true,
    v8_passThroughRequests: true,
    v8_trailingSlashAwareDataRequests: true,
  },
}
