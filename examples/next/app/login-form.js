'use client'
import { useActionState } from 'react'
import { logIn } from './actions.js'

export function LoginForm() {
  const [state, action] = useActionState(logIn, undefined)
  return (
    <form action={action}>
      <input name="user" aria-label="User" defaultValue="alice" />
      <input name="password" aria-label="Password" type="password" />
      <button type="submit">Log in</button>
      {state?.error ? <p role="alert">{state.error}</p> : null}
    </form>
  )
}
