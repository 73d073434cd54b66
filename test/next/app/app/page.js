import { increment, lockAndThrow, logIn } from './actions.js'

export default function Home() {
  return (
    <main>
      <form action={increment}>
        <button type="submit">increment</button>
      </form>
      <form action={lockAndThrow}>
        <button type="submit">lock and throw</button>
      </form>
      <form action={logIn}>
        <button type="submit">log in</button>
      </form>
    </main>
  )
}
