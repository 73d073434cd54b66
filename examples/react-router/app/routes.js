import { route } from '@react-router/dev/routes'

// The example-app contract: resource routes answering JSON.
export default [
  route('inc', 'routes/inc.js'),
  route('read', 'routes/read.js'),
  route('login', 'routes/login.js'),
  route('account', 'routes/account.js'),
  route('logout', 'routes/logout.js'),
]
