import { createElement as h } from 'react'
import { Outlet } from 'react-router'

// The app's only routes are resource routes (JSON); the root renders their pages' frame.
export default function App() {
  return h('html', { lang: 'en' }, h('body', null, h(Outlet)))
}
