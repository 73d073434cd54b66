import { createElement as h } from 'react'
import { renderToString } from 'react-dom/server'
import { ServerRouter } from 'react-router'

// Rendered whole, not streamed: the app's routes answer JSON, its only pages are error pages.
export default function handleRequest(request, status, headers, routerContext) {
  const html = renderToString(h(ServerRouter, { context: routerContext, url: request.url }))
  headers.set('content-type', 'text/html; charset=utf-8')
  return new Response(`<!DOCTYPE html>${html}`, { status, headers })
}
